package dev.kiln.cli.release;

import java.util.Map;

/** Says how the load balancer sees the targets of one target group. */
@FunctionalInterface
public interface TargetHealthProbe {

  /**
   * @return instance id to target state ({@code healthy}, {@code unhealthy}, {@code initial},
   *     {@code unused}, {@code draining}, ...) with the reason when there is one
   */
  Map<String, String> states(String targetGroupArn);
}
