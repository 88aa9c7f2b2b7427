package dev.kiln.agent.drain;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where the agent's termination hook is: {@code KILN_AGENT_GROUP} (the agents' Auto Scaling group,
 * GPU or CPU, written by Terraform; absent off AWS), {@code KILN_DRAIN_HOOK} (the hook's name,
 * {@code drain}), and {@code KILN_DRAIN_TERMINATION_WAIT_SECONDS} (how long a drained agent waits
 * for its group to terminate it, 300).
 *
 * <p>{@code KILN_GPU_GROUP}, the name the setting had when there were only GPU agents, is still
 * read when {@code KILN_AGENT_GROUP} is unset, so a {@code kiln.env} written for older images keeps
 * working.
 */
public record DrainSettings(Optional<String> group, String hook, Duration terminationWait) {

  /** The agent's group. */
  public static final String GROUP = "KILN_AGENT_GROUP";

  /** The group's former name, read when {@link #GROUP} is unset. */
  public static final String FORMER_GROUP = "KILN_GPU_GROUP";

  public static DrainSettings fromEnvironment(Map<String, String> env) {
    String group = env.getOrDefault(GROUP, "").strip();
    if (group.isEmpty()) {
      group = env.getOrDefault(FORMER_GROUP, "").strip();
    }
    String hook = env.getOrDefault("KILN_DRAIN_HOOK", "drain").strip();
    String wait = env.getOrDefault("KILN_DRAIN_TERMINATION_WAIT_SECONDS", "300").strip();
    try {
      return new DrainSettings(
          group.isEmpty() ? Optional.empty() : Optional.of(group),
          hook.isEmpty() ? "drain" : hook,
          Duration.ofSeconds(Long.parseLong(wait)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "KILN_DRAIN_TERMINATION_WAIT_SECONDS is a number of seconds, not " + wait, e);
    }
  }
}
