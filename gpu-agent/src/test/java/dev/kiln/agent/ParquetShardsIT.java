package dev.kiln.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.model.plan.ByteRange;
import dev.kiln.model.plan.LineRecord;
import dev.kiln.model.plan.RangeReader;
import dev.kiln.model.plan.ShardPlanner;
import dev.kiln.protocol.parquet.ParquetFooter;
import dev.kiln.protocol.parquet.ParquetLayout;
import dev.kiln.protocol.parquet.ParquetRowWriter;
import dev.kiln.protocol.parquet.ParquetRowWriter.Codec;
import dev.kiln.protocol.parquet.ParquetRowWriter.Column;
import dev.kiln.protocol.parquet.ParquetRowWriter.ColumnType;
import dev.kiln.protocol.parquet.ParquetRows;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Parquet file of many row groups in real S3, planned as the scheduler plans it (cuts from the
 * footer, read with ranged GETs at the end of the file) and read shard by shard as the agent reads
 * it: at every shard size every row arrives exactly once, in order, with its row number.
 */
@ExtendWith(KilnStackExtension.class)
class ParquetShardsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROWS = 6_000;
  private static final int ROWS_PER_GROUP = 400;

  private final AgentHarness harness;

  ParquetShardsIT(TestStack stack) {
    this.harness = new AgentHarness(stack);
  }

  private static List<Object> row(int i) {
    return Arrays.asList(
        (long) i, i % 13 == 0 ? null : "name " + i + "-".repeat(i % 31), i * 0.5, i % 3 == 0);
  }

  private static byte[] parquet() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<Column> columns =
        List.of(
            new Column("id", ColumnType.LONG),
            new Column("name", ColumnType.STRING),
            new Column("score", ColumnType.DOUBLE),
            new Column("flag", ColumnType.BOOLEAN));
    try (ParquetRowWriter writer =
        new ParquetRowWriter(bytes, columns, ROWS_PER_GROUP, Codec.SNAPPY)) {
      for (int i = 0; i < ROWS; i++) {
        writer.write(row(i));
      }
    }
    return bytes.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 20_000, 60_000, 1 << 20})
  void everyRowArrivesOnceInOrderWhateverTheShardSize(long shardBytes) throws Exception {
    byte[] file = parquet();
    String key = harness.upload("rows.parquet", file);
    AtomicLong bytesRead = new AtomicLong();
    RangeReader ranges =
        (offset, length) -> {
          byte[] read =
              harness.store.readRange(
                  harness.stack.uploadsBucket(),
                  key,
                  offset,
                  Math.min(file.length, offset + length));
          bytesRead.addAndGet(read.length);
          return read;
        };

    ParquetLayout layout = ParquetFooter.read(ranges, file.length);
    assertThat(layout.rowGroups()).hasSize(ROWS / ROWS_PER_GROUP);
    assertThat(bytesRead.get())
        .as("planning reads the footer, not the data")
        .isLessThanOrEqualTo(Math.min(file.length, 64 * 1024))
        .isLessThan(file.length);
    List<ByteRange> shards =
        new ShardPlanner(10_000, 1)
            .plan(
                List.of((long) file.length),
                shardBytes,
                List.of(true),
                Collections.singletonList(layout.cuts()));
    if (shardBytes == 1) {
      assertThat(shards).hasSize(layout.rowGroups().size());
    } else if (shardBytes >= file.length) {
      assertThat(shards).hasSize(1);
    } else if (2 * shardBytes < file.length) {
      assertThat(shards.size()).isBetween(2, layout.rowGroups().size() - 1);
    }

    List<LineRecord> records = new ArrayList<>();
    for (ByteRange shard : shards) {
      try (ParquetRows rows = new ParquetRows(ranges, file.length, shard.start(), shard.end())) {
        long inShard = 0;
        for (LineRecord record = rows.next(); record != null; record = rows.next()) {
          assertThat(record.newlinesFromShardStart()).isEqualTo(inShard++);
          records.add(record);
        }
        assertThat(rows.newlinesInRange()).isEqualTo(inShard);
        assertThat(inShard).as("a shard holds whole row groups").isPositive();
        assertThat(inShard % ROWS_PER_GROUP).isZero();
      }
    }

    assertThat(records).hasSize(ROWS);
    for (int i = 0; i < ROWS; i++) {
      LineRecord record = records.get(i);
      assertThat(record.offset()).isEqualTo(i);
      JsonNode node = JSON.readTree(record.text());
      List<Object> expected = row(i);
      assertThat(node.get("id").asLong()).isEqualTo(i);
      assertThat(node.get("name").isNull() ? null : node.get("name").asText())
          .isEqualTo(expected.get(1));
      assertThat(node.get("score").asDouble()).isEqualTo(expected.get(2));
      assertThat(node.get("flag").asBoolean()).isEqualTo(expected.get(3));
    }
  }
}
