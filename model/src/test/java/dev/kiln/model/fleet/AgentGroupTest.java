package dev.kiln.model.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AgentGroupTest {
  private static final AgentGroup GPU = new AgentGroup("gpu", Accelerator.GPU, 16_384, 0.526);
  private static final AgentGroup CPU = new AgentGroup("cpu", Accelerator.CPU, 4_096, 0.0725);

  @Test
  void cpuWorkGoesToTheCheapCpuGroupAndInferenceToTheGpuGroup() {
    List<AgentGroup> groups = List.of(GPU, CPU);
    assertThat(AgentGroup.cheapestFitting(groups, new ProcessorNeeds(Accelerator.CPU, 1_024)))
        .contains(CPU);
    assertThat(AgentGroup.cheapestFitting(groups, new ProcessorNeeds(Accelerator.GPU, 8_192)))
        .contains(GPU);
  }

  @Test
  void cpuWorkTooBigForTheCpuGroupOrWithoutOneRunsOnTheGpuGroup() {
    assertThat(
            AgentGroup.cheapestFitting(
                List.of(GPU, CPU), new ProcessorNeeds(Accelerator.CPU, 8_192)))
        .contains(GPU);
    assertThat(AgentGroup.cheapestFitting(List.of(GPU), ProcessorNeeds.GPU_DEFAULT)).contains(GPU);
    assertThat(AgentGroup.cheapestFitting(List.of(CPU), new ProcessorNeeds(Accelerator.GPU, 1_024)))
        .isEmpty();
  }
}
