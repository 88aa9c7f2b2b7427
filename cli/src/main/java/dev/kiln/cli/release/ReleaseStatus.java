package dev.kiln.cli.release;

import dev.kiln.protocol.InstanceTags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;

/** What runs where: the live color, each color's AMI and health, and the GPU agents' AMIs. */
public final class ReleaseStatus {

  /** One web color. */
  public record ColorStatus(
      Color color,
      int weight,
      int desired,
      String templateVersion,
      String ami,
      String kilnVersion,
      String gitCommit,
      int healthy) {}

  /**
   * An agent group (GPU or CPU): desired size, the version it launches, and how many agents run
   * each.
   */
  public record GpuStatus(
      int desired, String templateVersion, String ami, Map<String, Integer> agentsByImage) {}

  /** The whole picture. */
  public record Snapshot(Color live, List<ColorStatus> colors, GpuStatus gpu, GpuStatus cpu) {

    public String render() {
      StringBuilder text = new StringBuilder("live: " + live.label() + "\n");
      for (ColorStatus color : colors) {
        text.append(
            String.format(
                "%-5s weight %3d  desired %d  healthy %d  template v%s  %s  kiln %s  commit %s%n",
                color.color().label(),
                color.weight(),
                color.desired(),
                color.healthy(),
                color.templateVersion(),
                color.ami(),
                color.kilnVersion(),
                color.gitCommit()));
      }
      for (Map.Entry<String, GpuStatus> group : groups().entrySet()) {
        GpuStatus agents = group.getValue();
        text.append(
            String.format(
                "%-5s desired %d  template v%s  %s  agents by AMI %s%n",
                group.getKey(),
                agents.desired(),
                agents.templateVersion(),
                agents.ami(),
                agents.agentsByImage()));
      }
      return text.toString();
    }

    private Map<String, GpuStatus> groups() {
      Map<String, GpuStatus> groups = new java.util.LinkedHashMap<>();
      if (gpu != null) {
        groups.put("gpu", gpu);
      }
      if (cpu != null) {
        groups.put("cpu", cpu);
      }
      return groups;
    }
  }

  private final Estate estate;
  private final Groups groups;
  private final LaunchTemplates templates;
  private final TrafficSwitch traffic;
  private final TargetHealthProbe probe;

  public ReleaseStatus(
      Estate estate,
      Groups groups,
      LaunchTemplates templates,
      TrafficSwitch traffic,
      TargetHealthProbe probe) {
    this.estate = estate;
    this.groups = groups;
    this.templates = templates;
    this.traffic = traffic;
    this.probe = probe;
  }

  public Snapshot snapshot() {
    Map<Color, Integer> weights = traffic.weights();
    List<ColorStatus> colors = new ArrayList<>();
    for (Color color : Color.values()) {
      AutoScalingGroup group = groups.describe(estate.webGroup(color));
      String version = Groups.template(group).version();
      String ami = templates.imageOf(estate.webTemplate(color), version);
      Map<String, String> tags = tagsOrEmpty(ami);
      Map<String, String> states = probe.states(traffic.targetGroupArn(color));
      int healthy =
          (int)
              Groups.live(group).stream()
                  .filter(instance -> "healthy".equals(states.get(instance.instanceId())))
                  .count();
      colors.add(
          new ColorStatus(
              color,
              weights.getOrDefault(color, 0),
              group.desiredCapacity(),
              version,
              ami,
              tags.getOrDefault(InstanceTags.VERSION, "?"),
              tags.getOrDefault(InstanceTags.GIT_COMMIT, "?"),
              healthy));
    }
    return new Snapshot(traffic.live(), colors, agents(Role.gpu), agents(Role.cpu));
  }

  /** One agent group's status; null when the estate has no such group. */
  private GpuStatus agents(Role role) {
    AutoScalingGroup group;
    try {
      group = groups.describe(estate.agentGroup(role));
    } catch (IllegalStateException | IllegalArgumentException e) {
      return null;
    }
    String version = Groups.template(group).version();
    Map<String, Integer> byImage = new TreeMap<>();
    for (String image :
        templates
            .imagesOf(Groups.live(group).stream().map(Instance::instanceId).toList())
            .values()) {
      byImage.merge(image, 1, Integer::sum);
    }
    return new GpuStatus(
        group.desiredCapacity(),
        version,
        templates.imageOf(estate.agentTemplate(role), version),
        byImage);
  }

  private Map<String, String> tagsOrEmpty(String ami) {
    try {
      return templates.imageTags(ami);
    } catch (RuntimeException e) {
      return Map.of();
    }
  }
}
