package dev.kiln.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.model.InvalidValueException;
import dev.kiln.model.JobParams;
import org.junit.jupiter.api.Test;

class JobParamsJsonTest {
  @Test
  void parametersRoundTripAndOnlySetFieldsAreWritten() {
    JobParams params = new JobParams(65_536L, "lines", null, 32, null, null);
    String json = JobParamsJson.write(params);
    assertThat(json).isEqualTo("{\"shardBytes\":65536,\"split\":\"lines\",\"batchSize\":32}");
    assertThat(JobParamsJson.read(json)).isEqualTo(params);
  }

  @Test
  void blankAndUnknownFieldsReadAsDefaultsAndNumbersMayBeText() {
    assertThat(JobParamsJson.read("")).isEqualTo(JobParams.DEFAULTS);
    assertThat(JobParamsJson.read("{\"newer\": 1}")).isEqualTo(JobParams.DEFAULTS);
    assertThat(JobParamsJson.read("{\"shardBytes\": \"65536\"}").shardBytes()).isEqualTo(65_536L);
  }

  @Test
  void anInvalidRowSaysWhatIsWrong() {
    assertThatThrownBy(() -> JobParamsJson.read("{\"split\": \"words\"}"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("'params.split' must be one of lines, none.");
    assertThatThrownBy(() -> JobParamsJson.read("[1]"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("The job's parameters must be a JSON object");
  }
}
