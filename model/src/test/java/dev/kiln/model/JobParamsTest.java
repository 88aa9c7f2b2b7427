package dev.kiln.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobParamsTest {
  private static final JobParams.Defaults DEFAULTS =
      new JobParams.Defaults(64L * 1024 * 1024, 3, 0.01);

  @Test
  void defaultsApplyWhenTheJobSaysNothing() {
    JobParams.Resolved params = JobParams.DEFAULTS.resolve(DEFAULTS);
    assertThat(params.shardBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(params.splittable()).isTrue();
    assertThat(params.format()).isEmpty();
    assertThat(params.maxAttempts()).isEqualTo(3);
    assertThat(params.maxErrorRate()).isEqualTo(0.01);
    assertThat(params.all()).isEmpty();
  }

  @Test
  void everyParameterIsReadAndHandedOnAsText() {
    JobParams.Resolved params =
        new JobParams(1_048_576L, "none", "CSV", 64, 0.2, 5).resolve(DEFAULTS);
    assertThat(params.shardBytes()).isEqualTo(1_048_576);
    assertThat(params.splittable()).isFalse();
    assertThat(params.format()).contains(InputFormat.CSV);
    assertThat(params.maxAttempts()).isEqualTo(5);
    assertThat(params.maxErrorRate()).isEqualTo(0.2);
    assertThat(params.all())
        .containsEntry("batchSize", "64")
        .containsEntry("split", "none")
        .containsEntry("format", "csv")
        .containsEntry("shardBytes", "1048576");
  }

  @Test
  void parquetIsAFormatAskedForByNameOrGuessedFromTheFileName() {
    JobParams.Resolved params =
        new JobParams(null, null, "Parquet", null, null, null).resolve(DEFAULTS);
    assertThat(params.format()).contains(InputFormat.PARQUET);
    assertThat(params.all()).containsEntry("format", "parquet");
    assertThat(InputFormat.fromFileName("scores.parquet")).isEqualTo(InputFormat.PARQUET);
    assertThat(InputFormat.fromFileName("SCORES.PARQUET")).isEqualTo(InputFormat.PARQUET);
    assertThat(InputFormat.PARQUET.hasHeader()).isFalse();
    assertThat(InputFormat.PARQUET.isArchive()).isFalse();
  }

  @Test
  void outputsAreJsonLinesUnlessParquetIsAskedFor() {
    assertThat(JobParams.DEFAULTS.output()).isEqualTo(OutputFormat.JSONL);
    JobParams parquet = new JobParams(null, null, null, null, null, null, "PARQUET");
    assertThat(parquet.output()).isEqualTo(OutputFormat.PARQUET);
    assertThat(parquet.outputFormat()).isEqualTo("parquet");
    assertThat(parquet.resolve(DEFAULTS).all()).containsEntry("outputFormat", "parquet");
    assertThat(new JobParams(null, null, null, null, null, null, "jsonl").output())
        .isEqualTo(OutputFormat.JSONL);
    JobParams csv = new JobParams(null, null, null, null, null, null, "csv");
    assertThatThrownBy(csv::requireSubmittable)
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("'params.outputFormat' must be one of jsonl, parquet.");
    assertThatThrownBy(csv::output).isInstanceOf(InvalidValueException.class);
  }

  @Test
  void invalidValuesNameTheFieldAndItsRange() {
    assertThatThrownBy(() -> new JobParams(null, "words", null, null, null, null))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("'params.split' must be one of lines, none.");
    assertThatThrownBy(() -> new JobParams(null, null, "xml", null, null, null))
        .hasMessage("'params.format' must be one of csv, jsonl, parquet, tar, text, zip.");
    assertThatThrownBy(() -> new JobParams(0L, null, null, null, null, null))
        .hasMessageContaining("'params.shardBytes' must be between 1024 (1 KiB)");
    assertThatThrownBy(() -> new JobParams(null, null, null, null, null, 0))
        .hasMessage("'params.maxAttempts' must be between 1 and 20.");
    assertThatThrownBy(() -> new JobParams(null, null, null, null, null, 21))
        .hasMessage("'params.maxAttempts' must be between 1 and 20.");
    assertThatThrownBy(() -> new JobParams(null, null, null, null, Double.NaN, null))
        .hasMessage("'params.maxErrorRate' must be between 0 and 1.");
    assertThatThrownBy(() -> new JobParams(null, null, null, 0, null, null))
        .hasMessage("'params.batchSize' must be between 1 and 100000.");
  }

  @Test
  void aSubmissionMayAskForNoShardBelowThePlannersFloor() {
    JobParams belowFloor =
        new JobParams(JobParams.MIN_SHARD_BYTES - 1, null, null, null, null, null);

    assertThatThrownBy(belowFloor::requireSubmittable)
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(
            "'params.shardBytes' must be between 1024 (1 KiB) and 5368709120 (5 GiB); it was"
                + " 1023.");
    assertThatThrownBy(
            () ->
                new JobParams(JobParams.MAX_SHARD_BYTES + 1, null, null, null, null, null)
                    .requireSubmittable())
        .hasMessageContaining("5368709120 (5 GiB)");
    JobParams atFloor = new JobParams(JobParams.MIN_SHARD_BYTES, null, null, null, null, null);
    assertThat(atFloor.requireSubmittable()).isSameAs(atFloor);
    assertThat(JobParams.DEFAULTS.requireSubmittable()).isSameAs(JobParams.DEFAULTS);
  }
}
