package dev.kiln.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.agent.processor.ParseProcessor;
import dev.kiln.agent.processor.Processors;
import dev.kiln.model.fleet.Machine;
import dev.kiln.model.fleet.PurchaseOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The agent describes its machine from instance metadata (IMDSv2 on loopback): instance type, spot
 * or on-demand, and the Availability Zone a spot price is read for.
 */
class AgentMetadataIT {
  private static final Processors PROCESSORS = new Processors(List.of(new ParseProcessor()));

  @Test
  void aSpotInstanceReportsItsTypeAndZone() throws Exception {
    try (FakeInstanceMetadata imds =
        new FakeInstanceMetadata()
            .set("instance-id", "i-0abc")
            .set("instance-type", "g4dn.xlarge")
            .set("instance-life-cycle", "spot")
            .set("placement/availability-zone", "us-east-1c")) {
      AgentMetadata described =
          AgentMain.describe(
              Optional.of(new InstanceMetadata(imds.endpoint(), Duration.ofSeconds(2))),
              PROCESSORS);

      assertThat(described.machine())
          .isEqualTo(new Machine("g4dn.xlarge", PurchaseOption.SPOT, "us-east-1c"));
    }
  }

  @Test
  void offEc2TheMachineIsLocalWithoutAZone() {
    AgentMetadata described = AgentMain.describe(Optional.empty(), PROCESSORS);

    assertThat(described.machine().purchaseOption()).isEqualTo(PurchaseOption.LOCAL);
    assertThat(described.machine().availabilityZone()).isNull();
  }
}
