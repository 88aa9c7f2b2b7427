package dev.kiln.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.model.InputFormat;
import dev.kiln.scheduler.SchedulerSettings;
import org.junit.jupiter.api.Test;

class JobParamsTest {
  private static final SchedulerSettings DEFAULTS = SchedulerSettings.defaults("t");

  @Test
  void defaultsApplyWhenTheJobSaysNothing() {
    JobParams params = JobParams.parse("{}", DEFAULTS);
    assertThat(params.shardBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(params.splittable()).isTrue();
    assertThat(params.format()).isEmpty();
    assertThat(params.maxAttempts()).isEqualTo(3);
    assertThat(params.maxErrorRate()).isEqualTo(0.01);
  }

  @Test
  void readsEveryParameterAndHandsThemAllOnAsText() {
    JobParams params =
        JobParams.parse(
            "{\"shardBytes\": 1048576, \"split\": \"none\", \"format\": \"CSV\","
                + " \"maxAttempts\": 5, \"maxErrorRate\": 0.2, \"batch\": 64}",
            DEFAULTS);
    assertThat(params.shardBytes()).isEqualTo(1_048_576);
    assertThat(params.splittable()).isFalse();
    assertThat(params.format()).contains(InputFormat.CSV);
    assertThat(params.maxAttempts()).isEqualTo(5);
    assertThat(params.maxErrorRate()).isEqualTo(0.2);
    assertThat(params.all()).containsEntry("batch", "64").containsEntry("split", "none");
  }

  @Test
  void invalidValuesSayWhatIsWrong() {
    assertThatThrownBy(() -> JobParams.parse("{\"split\": \"words\"}", DEFAULTS))
        .hasMessage("split must be 'lines' or 'none', was 'words'");
    assertThatThrownBy(() -> JobParams.parse("{\"format\": \"xml\"}", DEFAULTS))
        .hasMessage("format must be csv, jsonl or text, was 'xml'");
    assertThatThrownBy(() -> JobParams.parse("{\"shardBytes\": \"big\"}", DEFAULTS))
        .hasMessage("shardBytes must be a whole number, was 'big'");
    assertThatThrownBy(() -> JobParams.parse("{\"maxAttempts\": 0}", DEFAULTS))
        .hasMessage("maxAttempts must be 1..100, was 0");
    assertThatThrownBy(() -> JobParams.parse("{\"maxErrorRate\": 2}", DEFAULTS))
        .hasMessage("maxErrorRate must be between 0 and 1");
    assertThatThrownBy(() -> JobParams.parse("[1]", DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
