package dev.kiln.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompressionTest {
  @Test
  void theLastExtensionTellsTheCompressionAndTheFormatLooksThroughIt() {
    assertThat(Compression.fromFileName("rows.csv.gz")).isEqualTo(Compression.GZIP);
    assertThat(Compression.fromFileName("rows.jsonl.ZST")).isEqualTo(Compression.ZSTD);
    assertThat(Compression.fromFileName("rows.csv")).isEqualTo(Compression.NONE);
    assertThat(Compression.stripExtension("rows.csv.gz")).isEqualTo("rows.csv");
    assertThat(InputFormat.fromFileName("rows.csv.gz")).isEqualTo(InputFormat.CSV);
    assertThat(InputFormat.fromFileName("rows.jsonl.zst")).isEqualTo(InputFormat.JSONL);
    assertThat(Compression.GZIP.splittable()).isFalse();
    assertThat(Compression.GZIP.notSplittableReason("a.csv.gz"))
        .isEqualTo("'a.csv.gz' is gzip input, which is not splittable: 1 shard");
  }
}
