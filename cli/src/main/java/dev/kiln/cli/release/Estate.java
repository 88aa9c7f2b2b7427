package dev.kiln.cli.release;

/**
 * The names Terraform gives an environment's release resources (see {@code terraform/modules}).
 *
 * @param name the environment prefix, for example {@code kiln-dev}
 */
public record Estate(String name) {

  public Estate {
    if (name == null || !name.matches("[a-z][a-z0-9-]{1,20}")) {
      throw new IllegalArgumentException(
          "estate name must be 2-21 lower-case letters, digits or dashes: " + name);
    }
  }

  /** The Auto Scaling group, and its launch template, of one web color. */
  public String webGroup(Color color) {
    return name + "-web-" + color.label();
  }

  /** The ALB target group of one web color. */
  public String targetGroup(Color color) {
    return name + "-web-" + color.label();
  }

  public String loadBalancer() {
    return name;
  }

  /** The GPU agents' Auto Scaling group, and its launch template. */
  public String gpuGroup() {
    return name + "-gpu";
  }
}
