package dev.kiln.agent;

import dev.kiln.model.fleet.Machine;
import dev.kiln.model.fleet.PurchaseOption;
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
 * @param purchaseOption spot or on-demand from instance metadata, local off EC2
 * @param availabilityZone the Availability Zone from instance metadata, or null off EC2
 */
public record AgentMetadata(
    String instanceId,
    String instanceType,
    String amiId,
    String version,
    String gpu,
    String device,
    Set<String> processors,
    PurchaseOption purchaseOption,
    String availabilityZone) {
  public AgentMetadata {
    processors = Set.copyOf(processors);
  }

  /** An agent whose Availability Zone is not known. */
  public AgentMetadata(
      String instanceId,
      String instanceType,
      String amiId,
      String version,
      String gpu,
      String device,
      Set<String> processors,
      PurchaseOption purchaseOption) {
    this(instanceId, instanceType, amiId, version, gpu, device, processors, purchaseOption, null);
  }

  /** An agent off EC2. */
  public AgentMetadata(
      String instanceId,
      String instanceType,
      String amiId,
      String version,
      String gpu,
      String device,
      Set<String> processors) {
    this(instanceId, instanceType, amiId, version, gpu, device, processors, PurchaseOption.LOCAL);
  }

  public AgentMetadata withDevice(String newDevice) {
    return new AgentMetadata(
        instanceId,
        instanceType,
        amiId,
        version,
        gpu,
        newDevice,
        processors,
        purchaseOption,
        availabilityZone);
  }

  /** The machine the agent's shards run on, as their cost prices it. */
  public Machine machine() {
    return new Machine(instanceType, purchaseOption, availabilityZone);
  }
}
