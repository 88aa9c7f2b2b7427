package dev.kiln.agent.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrainSettingsTest {

  @Test
  void readsTheAgentsGroupFromTheRoleNeutralSetting() {
    DrainSettings settings =
        DrainSettings.fromEnvironment(Map.of("KILN_AGENT_GROUP", " kiln-dev-cpu "));

    assertThat(settings.group()).contains("kiln-dev-cpu");
    assertThat(settings.hook()).isEqualTo("drain");
    assertThat(settings.terminationWait()).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void theRoleNeutralSettingWinsOverTheFormerOne() {
    // A CPU agent whose kiln.env still carries the estate's GPU group from older user data.
    DrainSettings settings =
        DrainSettings.fromEnvironment(
            Map.of("KILN_AGENT_GROUP", "kiln-dev-cpu", "KILN_GPU_GROUP", "kiln-dev-gpu"));

    assertThat(settings.group()).contains("kiln-dev-cpu");
  }

  @Test
  void fallsBackToTheFormerGpuGroupSettingWhenTheNewOneIsUnsetOrBlank() {
    assertThat(DrainSettings.fromEnvironment(Map.of("KILN_GPU_GROUP", "kiln-dev-gpu")).group())
        .contains("kiln-dev-gpu");
    assertThat(
            DrainSettings.fromEnvironment(
                    Map.of("KILN_AGENT_GROUP", "  ", "KILN_GPU_GROUP", "kiln-dev-gpu"))
                .group())
        .contains("kiln-dev-gpu");
  }

  @Test
  void withoutEitherSettingTheAgentHasNoGroup() {
    DrainSettings settings =
        DrainSettings.fromEnvironment(
            Map.of("KILN_DRAIN_HOOK", "stop", "KILN_DRAIN_TERMINATION_WAIT_SECONDS", "60"));

    assertThat(settings.group()).isEmpty();
    assertThat(settings.hook()).isEqualTo("stop");
    assertThat(settings.terminationWait()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void refusesAWaitThatIsNotANumber() {
    assertThatThrownBy(
            () ->
                DrainSettings.fromEnvironment(
                    Map.of("KILN_DRAIN_TERMINATION_WAIT_SECONDS", "five")))
        .hasMessageContaining("KILN_DRAIN_TERMINATION_WAIT_SECONDS");
  }
}
