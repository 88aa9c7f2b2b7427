package dev.kiln.protocol;

/**
 * The EC2 and AMI tags Kiln's processes and release tooling write and read, defined once.
 * Stateless.
 */
public final class InstanceTags {
  private InstanceTags() {}

  /** On an agent instance: set by a GPU rollout to ask the agent to drain; the value says why. */
  public static final String DRAIN = "kiln:drain";

  /** On an AMI: what it is for, {@code web}, {@code gpu} or {@code cpu} (Packer writes it). */
  public static final String ROLE = "kiln:role";

  /**
   * On an AMI: the machines it is for as EC2 names them, {@code x86_64} or {@code arm64} (Packer
   * writes it; {@code kiln release deploy} reads the image's own architecture).
   */
  public static final String ARCH = "kiln:arch";

  /** On an AMI: the Kiln version baked into it. */
  public static final String VERSION = "kiln:version";

  /** On an AMI: the git commit it was baked from. */
  public static final String GIT_COMMIT = "kiln:git-commit";
}
