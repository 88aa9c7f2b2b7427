package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.client.KilnApiException;
import dev.kiln.client.KilnClient;
import dev.kiln.client.api.FileView;
import dev.kiln.client.api.JobCreateRequest;
import dev.kiln.client.api.JobErrorView;
import dev.kiln.client.api.JobView;
import dev.kiln.client.api.Page;
import dev.kiln.db.Databases;
import dev.kiln.model.JobParams;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEventType;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * CSV with quoted line breaks through the whole platform, cut into many shards: every row arrives
 * once, and the rows that fail are listed through the API with their line in the file. Archives of
 * files (zip, tar, tar.gz) the same way: one output row per file, in the archive's order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CsvRecordsIT {
  private static final int SHARD_BYTES = 64 * 1024;

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

  @Test
  void quotedLineBreaksMakeNoErrorRecords() throws Exception {
    String csv = csv(12_000, -1, -1);
    JobView job = run(csv, "multiline.csv", null);

    assertThat(job.state()).as(job.failureReason()).isEqualTo(JobState.SUCCEEDED);
    assertThat(job.progress().shardsTotal()).isGreaterThan(4);
    assertThat(job.progress().records()).isEqualTo(12_000);
    assertThat(job.progress().errors()).isZero();
    assertThat(platform.client().allJobErrors(job.id())).isEmpty();
  }

  @Test
  void failedRecordsAreListedWithTheirLineInTheFile() throws Exception {
    String csv = csv(12_000, 9_000, 11_500);
    int first = csv.indexOf("\n9000,") + 1;
    int second = csv.indexOf("\n11500,") + 1;
    KilnClient owner = platform.client();
    JobView job = run(csv, "bad-rows.csv", 0.5);

    assertThat(job.state()).as(job.failureReason()).isEqualTo(JobState.SUCCEEDED);
    assertThat(job.progress().errors()).isEqualTo(2);
    assertThat(first)
        .as("the first bad row lies beyond the first shards")
        .isGreaterThan(3 * SHARD_BYTES);

    Page<JobErrorView> page1 = owner.jobErrors(job.id(), null, 1);
    Page<JobErrorView> page2 = owner.jobErrors(job.id(), page1.nextCursor(), 1);
    assertThat(page1.items()).hasSize(1);
    assertThat(page1.nextCursor()).isNotNull();
    assertThat(page2.items()).hasSize(1);
    assertThat(page2.nextCursor()).isNull();

    JobErrorView bad = page1.items().get(0);
    assertThat(bad.offset()).isEqualTo(first);
    assertThat(bad.line()).isEqualTo(lineOf(csv, first));
    assertThat(bad.record()).isEqualTo("9000,only two fields");
    assertThat(bad.message()).contains("expected 3 columns, found 2");
    assertThat(bad.fileName()).isEqualTo("bad-rows.csv");
    JobErrorView quote = page2.items().get(0);
    assertThat(quote.offset()).isEqualTo(second);
    assertThat(quote.line()).isEqualTo(lineOf(csv, second));
    assertThat(quote.message()).contains("closing quote");

    assertThat(owner.allJobErrors(job.id())).containsExactly(bad, quote);
  }

  @Test
  void anotherAccountsJobHasNoErrorsToShow() throws Exception {
    JobView job = run(csv(50, 10, -1), "private.csv", 0.5);
    KilnClient stranger = new KilnClient(platform.apiUrl());
    stranger.signup("stranger-" + UUID.randomUUID() + "@example.com", "a long enough password 1");

    for (Runnable call :
        List.<Runnable>of(
            () -> stranger.jobErrors(job.id(), null, 10), () -> stranger.allJobErrors(job.id()))) {
      assertThatThrownBy(call::run)
          .isInstanceOfSatisfying(
              KilnApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(404);
                assertThat(e.problem()).isNotNull();
              });
    }
    assertThatThrownBy(() -> platform.client().jobErrors(job.id(), "not-a-cursor", 10))
        .isInstanceOfSatisfying(KilnApiException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void aJobWhoseRecordsMostlyFailFails() throws Exception {
    StringBuilder csv = new StringBuilder("id,text,score\n");
    for (int i = 0; i < 100; i++) {
      csv.append(i).append(",one field short\n");
    }
    JobView job = run(csv.toString(), "broken.csv", null);

    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.failureReason()).contains("100 of 100 records").contains("maxErrorRate");
    assertThat(platform.client().allJobErrors(job.id())).hasSize(100);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gz", "zst"})
  void compressedInputsAreOneShardAndSayWhy(String extension) throws Exception {
    String csv = csv(12_000, 9_000, -1);
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (OutputStream out =
        extension.equals("gz")
            ? new GZIPOutputStream(compressed)
            : new ZstdOutputStream(compressed)) {
      out.write(csv.getBytes(StandardCharsets.UTF_8));
    }
    String name = "rows.csv." + extension;
    Path file = dataDir.resolve(name);
    Files.write(file, compressed.toByteArray());
    KilnClient owner = platform.client();
    FileView input = owner.upload(file);
    JobParams params = new JobParams((long) SHARD_BYTES, null, null, null, 0.5, null);
    JobView job =
        owner.awaitJob(
            owner
                .submit(new JobCreateRequest("parse", List.of(input.id()), null, params, 0), null)
                .id(),
            Duration.ofMinutes(3));

    assertThat(job.state()).as(job.failureReason()).isEqualTo(JobState.SUCCEEDED);
    assertThat(job.progress().shardsTotal()).isEqualTo(1);
    assertThat(job.progress().records()).isEqualTo(12_000);
    List<JobErrorView> errors = owner.allJobErrors(job.id());
    assertThat(errors).hasSize(1);
    int bad = csv.indexOf("\n9000,") + 1;
    assertThat(errors.get(0).offset()).isEqualTo(bad);
    assertThat(errors.get(0).line()).isEqualTo(lineOf(csv, bad));
    String label = extension.equals("gz") ? "gzip" : "zstd";
    assertThat(runningEventPayload(job.id()))
        .contains("'" + name + "' is " + label + " input, which is not splittable: 1 shard");
    assertThat(owner.job(job.id()).inputs().get(0).shardNote())
        .isEqualTo("'" + name + "' is " + label + " input, which is not splittable: 1 shard");
  }

  @ParameterizedTest
  @ValueSource(strings = {"images.zip", "audio.tar", "audio.tar.gz"})
  void everyFileOfAnArchiveIsOneRecordInOrder(String name) throws Exception {
    Map<String, byte[]> files = archiveFiles(new Random(name.hashCode()), 80);
    Path archive = dataDir.resolve(name);
    if (name.endsWith(".zip")) {
      Files.write(archive, zip(files));
    } else {
      tar(dataDir.resolve(name + ".d"), files, archive, name.endsWith(".gz"));
    }
    KilnClient owner = platform.client();
    FileView input = owner.upload(archive);
    JobParams params = new JobParams((long) SHARD_BYTES, null, null, null, null, null);
    JobView job =
        owner.awaitJob(
            owner
                .submit(
                    new JobCreateRequest("checksum", List.of(input.id()), null, params, 0), null)
                .id(),
            Duration.ofMinutes(3));

    assertThat(job.state()).as(job.failureReason()).isEqualTo(JobState.SUCCEEDED);
    assertThat(job.progress().records()).isEqualTo(files.size());
    if (name.endsWith(".gz")) {
      assertThat(job.progress().shardsTotal()).isEqualTo(1);
      assertThat(runningEventPayload(job.id()))
          .contains("'" + name + "' is gzip input, which is not splittable: 1 shard");
      assertThat(job.inputs().get(0).shardNote())
          .isEqualTo("'" + name + "' is gzip input, which is not splittable: 1 shard");
    } else {
      assertThat(job.progress().shardsTotal()).isGreaterThan(3);
      assertThat(job.inputs().get(0).shardNote()).isNull();
    }
    List<String> rows =
        Files.readAllLines(
            owner.downloadOutput(job.id(), 0, dataDir.resolve(name + ".out")),
            StandardCharsets.UTF_8);
    ObjectMapper json = new ObjectMapper();
    List<Map<?, ?>> expected = new ArrayList<>();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      expected.add(
          Map.of(
              "name",
              file.getKey(),
              "bytes",
              file.getValue().length,
              "sha256",
              HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(file.getValue()))));
    }
    List<Map<?, ?>> read = new ArrayList<>();
    for (String row : rows) {
      read.add(json.readValue(row, Map.class));
    }
    assertThat(read).containsExactlyElementsOf(expected);
  }

  @Test
  void aFileThatIsNoZipFailsTheJobSayingWhy() throws Exception {
    KilnClient owner = platform.client();
    FileView input =
        owner.upload(Files.writeString(dataDir.resolve("fake.zip"), "id,name\n1,not a zip\n"));
    JobView job =
        owner.awaitJob(
            owner
                .submit(new JobCreateRequest("checksum", List.of(input.id()), null, null, 0), null)
                .id(),
            Duration.ofMinutes(3));

    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.failureReason())
        .contains("'fake.zip' cannot be read as a zip archive")
        .contains("not a zip archive");
  }

  /** Image- and audio-like files, some empty, some larger than a shard, some with long names. */
  private static Map<String, byte[]> archiveFiles(Random random, int count) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String dir = i % 7 == 0 ? "nested/" + "n".repeat(110) + "/" : "";
      int size =
          i % 11 == 0 ? 0 : i % 13 == 0 ? 90_000 + random.nextInt(40_000) : random.nextInt(6000);
      byte[] bytes = new byte[size];
      random.nextBytes(bytes);
      files.put(
          dir + String.format(Locale.ROOT, "clip-%03d.%s", i, i % 2 == 0 ? "png" : "wav"), bytes);
    }
    return files;
  }

  private static byte[] zip(Map<String, byte[]> files) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(file.getKey()));
        zip.write(file.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** The files archived by GNU tar (gzip'd when asked), in their order. */
  private static void tar(Path dir, Map<String, byte[]> files, Path archive, boolean gzip)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("tar", "-C", dir.toString(), gzip ? "-czf" : "-cf", archive.toString()));
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path path = dir.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.write(path, file.getValue());
      command.add(file.getKey());
    }
    Process tar = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor()).as(output).isZero();
  }

  private String runningEventPayload(UUID jobId) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(platform.stack().postgres().jdbcUrl());
    dataSource.setUser(platform.stack().postgres().user());
    dataSource.setPassword(platform.stack().postgres().password());
    return Databases.jdbi(dataSource)
        .withHandle(
            handle ->
                handle
                    .createQuery(
                        "select payload_json::text from outbox where job_id = :job and type = :type")
                    .bind("job", jobId)
                    .bind("type", OutboxEventType.RUNNING.wireName())
                    .mapTo(String.class)
                    .one());
  }

  private JobView run(String csv, String name, Double maxErrorRate) throws Exception {
    KilnClient owner = platform.client();
    FileView file = owner.upload(Files.writeString(dataDir.resolve(name), csv));
    JobParams params = new JobParams((long) SHARD_BYTES, null, "csv", null, maxErrorRate, null);
    JobView job =
        owner.submit(new JobCreateRequest("parse", List.of(file.id()), null, params, 0), null);
    return owner.awaitJob(job.id(), Duration.ofMinutes(3));
  }

  /** A CSV of {@code rows} rows, every third with a quoted field of several lines. */
  private static String csv(int rows, int shortRow, int badQuoteRow) {
    StringBuilder csv = new StringBuilder("id,text,score\n");
    for (int i = 0; i < rows; i++) {
      if (i == shortRow) {
        csv.append(i).append(",only two fields\n");
      } else if (i == badQuoteRow) {
        csv.append(i).append(",\"quoted\"then text,7\n");
      } else if (i % 3 == 0) {
        csv.append(i)
            .append(",\"row ")
            .append(i)
            .append(" says \"\"hello\"\",\nover\r\nthree lines\",")
            .append(i % 97)
            .append('\n');
      } else {
        csv.append(i)
            .append(",plain text for row ")
            .append(i)
            .append(',')
            .append(i % 89)
            .append('\n');
      }
    }
    return csv.toString();
  }

  private static long lineOf(String csv, int offset) {
    byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
    long line = 1;
    for (int i = 0; i < offset; i++) {
      line += bytes[i] == '\n' ? 1 : 0;
    }
    return line;
  }
}
