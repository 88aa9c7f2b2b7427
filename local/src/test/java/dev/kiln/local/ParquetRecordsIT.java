package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.client.KilnClient;
import dev.kiln.client.api.FileView;
import dev.kiln.client.api.JobCreateRequest;
import dev.kiln.client.api.JobView;
import dev.kiln.model.JobParams;
import dev.kiln.model.JobState;
import dev.kiln.model.plan.RangeReader;
import dev.kiln.protocol.parquet.ParquetFooter;
import dev.kiln.protocol.parquet.ParquetLayout;
import dev.kiln.protocol.parquet.ParquetRowWriter;
import dev.kiln.protocol.parquet.ParquetRowWriter.Codec;
import dev.kiln.protocol.parquet.ParquetRowWriter.Column;
import dev.kiln.protocol.parquet.ParquetRowWriter.ColumnType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet files through the whole platform: a file of many row groups is cut into shards of whole
 * row groups and every row reaches the output once, in order, as a JSON line; a file cut short or
 * damaged (a page whose bytes no longer match its checksum among them) fails the job with a reason
 * that says what is wrong and what to do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParquetRecordsIT {
  private static final int SHARD_BYTES = 64 * 1024;
  private static final int ROWS = 20_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path dataDir;
  private LocalPlatform platform;

  @BeforeAll
  void start(@TempDir Path tempDir) throws Exception {
    dataDir = tempDir;
    platform = LocalPlatform.start(TestSettings.withAgents(dataDir, 1));
  }

  @AfterAll
  void stop() {
    platform.close();
  }

  private static List<Object> row(int i) {
    return Arrays.asList(
        (long) i,
        i % 11 == 0 ? null : "text of row " + i + " " + "z".repeat(i % 23),
        i % 7 == 0 ? null : i * 0.25,
        i % 2 == 1);
  }

  private static byte[] parquet(int rows) throws Exception {
    List<Column> columns =
        List.of(
            new Column("id", ColumnType.LONG),
            new Column("text", ColumnType.STRING),
            new Column("score", ColumnType.DOUBLE),
            new Column("odd", ColumnType.BOOLEAN));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ParquetRowWriter writer = new ParquetRowWriter(bytes, columns, 500, Codec.SNAPPY)) {
      for (int i = 0; i < rows; i++) {
        writer.write(row(i));
      }
    }
    return bytes.toByteArray();
  }

  private JobView parse(Path file, String format) throws Exception {
    KilnClient owner = platform.client();
    FileView input = owner.upload(file);
    JobParams params = new JobParams((long) SHARD_BYTES, null, format, null, null, 1);
    return owner.awaitJob(
        owner
            .submit(new JobCreateRequest("parse", List.of(input.id()), null, params, 0), null)
            .id(),
        Duration.ofMinutes(3));
  }

  @Test
  void everyRowOfEveryRowGroupReachesTheOutputOnceInOrder() throws Exception {
    byte[] bytes = parquet(ROWS);
    assertThat(bytes.length).as("several shards' worth").isGreaterThan(3 * SHARD_BYTES);
    Path file = Files.write(dataDir.resolve("rows.parquet"), bytes);

    JobView job = parse(file, null);

    assertThat(job.state()).as(job.failureReason()).isEqualTo(JobState.SUCCEEDED);
    assertThat(job.progress().shardsTotal()).isGreaterThan(3);
    assertThat(job.progress().records()).isEqualTo(ROWS);
    assertThat(job.progress().errors()).isZero();
    List<String> lines =
        Files.readAllLines(
            platform.client().downloadOutput(job.id(), 0, dataDir.resolve("rows.out")),
            StandardCharsets.UTF_8);
    assertThat(lines).hasSize(ROWS);
    for (int i = 0; i < ROWS; i++) {
      JsonNode node = JSON.readTree(lines.get(i));
      List<Object> expected = row(i);
      assertThat(node.get("id").asLong()).as(lines.get(i)).isEqualTo(i);
      assertThat(node.get("text").isNull() ? null : node.get("text").asText())
          .as(lines.get(i))
          .isEqualTo(expected.get(1));
      assertThat(node.get("score").isNull() ? null : node.get("score").asDouble())
          .as(lines.get(i))
          .isEqualTo(expected.get(2));
      assertThat(node.get("odd").asBoolean()).as(lines.get(i)).isEqualTo(expected.get(3));
      assertThat(node.get("_offset").asLong()).as("the row number").isEqualTo(i);
      assertThat(node.get("_fields").asInt()).isEqualTo(4);
    }
  }

  @Test
  void aFileCutShortFailsTheJobSayingWhatToDo() throws Exception {
    byte[] bytes = parquet(2_000);
    Path file = Files.write(dataDir.resolve("cut.parquet"), Arrays.copyOf(bytes, bytes.length / 2));

    JobView job = parse(file, null);

    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.failureReason())
        .contains("'cut.parquet' does not end with Parquet's closing marker PAR1")
        .contains("write it again and upload the whole file");
  }

  @Test
  void aCompressedParquetFileIsRefusedSayingWhatToUploadInstead() throws Exception {
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
      out.write(parquet(100));
    }
    Path file = Files.write(dataDir.resolve("rows.parquet.gz"), gzipped.toByteArray());

    JobView job = parse(file, null);

    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.failureReason())
        .isEqualTo(
            "'rows.parquet.gz' is a compressed Parquet file, which cannot be read in parts: upload"
                + " the .parquet itself (its pages are compressed already)");
  }

  @Test
  void aDamagedRowGroupFailsTheJobNamingIt() throws Exception {
    byte[] bytes = parquet(ROWS);
    RangeReader ranges =
        (offset, length) ->
            Arrays.copyOfRange(bytes, (int) offset, (int) Math.min(bytes.length, offset + length));
    ParquetLayout layout = ParquetFooter.read(ranges, bytes.length);
    long damaged = layout.rowGroups().get(30).start();
    Arrays.fill(bytes, (int) damaged, (int) damaged + 24, (byte) 0xff);
    Path file = Files.write(dataDir.resolve("damaged.data"), bytes);

    JobView job = parse(file, "parquet");

    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.failureReason())
        .contains("'damaged.data' has a column chunk")
        .contains("in row group 30")
        .contains("the file is damaged; write it again and upload it");
  }

  @Test
  void aPageWhoseBytesChangedFailsTheJobNamingItsColumnAndRowGroup() throws Exception {
    byte[] bytes = parquet(ROWS);
    RangeReader ranges =
        (offset, length) ->
            Arrays.copyOfRange(bytes, (int) offset, (int) Math.min(bytes.length, offset + length));
    long chunk = ParquetFooter.read(ranges, bytes.length).rowGroups().get(12).start();
    ByteArrayInputStream in =
        new ByteArrayInputStream(bytes, (int) chunk, bytes.length - (int) chunk);
    PageHeader header = Util.readPageHeader(in);
    int lastByteOfPage = bytes.length - in.available() + header.getCompressed_page_size() - 1;
    bytes[lastByteOfPage] ^= 0x01;
    Path file = Files.write(dataDir.resolve("flipped.parquet"), bytes);

    JobView job = parse(file, null);

    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.failureReason())
        .contains("'flipped.parquet' has a page in column id of row group 12")
        .contains("do not match its checksum")
        .contains("write it again and upload it");
  }
}
