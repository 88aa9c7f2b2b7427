package dev.kiln.agent;

import java.util.Set;

/**
 * What an agent tells the scheduler about itself when it registers.
 *
 * @param instanceId EC2 instance id, or the host name off EC2
 * @param instanceType EC2 instance type, or {@code local}
 * @param amiId the image the instance runs, or empty off EC2
 * @param version the agent's version
 * @param gpu the GPU model and memory, or {@code none}
 * @param device where processors compute, such as {@code GPU:0} or {@code CPU}
 * @param processors the processors offered
 */
public record AgentMetadata(
    String instanceId,
    String instanceType,
    String amiId,
    String version,
    String gpu,
    String device,
    Set<String> processors) {
  public AgentMetadata {
    processors = Set.copyOf(processors);
  }

  public AgentMetadata withDevice(String newDevice) {
    return new AgentMetadata(instanceId, instanceType, amiId, version, gpu, newDevice, processors);
  }
}
