package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.agent.demo.DemoData;
import dev.kiln.cli.KilnCli;
import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.client.KilnClient;
import dev.kiln.client.api.DownloadView;
import dev.kiln.model.FileState;
import dev.kiln.model.JobState;
import dev.kiln.protocol.storage.ObjectKeys;
import dev.kiln.protocol.storage.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code kiln} command against the whole local platform (API, scheduler, agents, real
 * PostgreSQL, Redis and S3): log in, upload, run a job to its end with {@code --watch}, download
 * and compare record for record; an upload killed half way and resumed; and the exit code and one
 * line of each failure. The input's size is {@code -Dkiln.cli.it.bytes} (default 20 MB; 200 MB by
 * hand). Uploads go in 5 MiB parts here, so that even the default size has several.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class CliEndToEndIT {
  private static final long INPUT_BYTES = Long.getLong("kiln.cli.it.bytes", 20_000_000L);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path dir;
  private LocalPlatform platform;
  private Path input;

  @BeforeAll
  void start(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    platform =
        LocalPlatform.start(
            new LocalSettings(
                    dir.resolve("platform"),
                    0,
                    0,
                    2,
                    2,
                    System.getProperty("java.class.path"),
                    TestSettings.javacppCacheDir(),
                    false)
                .withApiOverrides(
                    Map.of("files.multipartThreshold", "5MiB", "files.partSize", "5MiB")));
    input = DemoData.write(dir.resolve("input.csv"), Demo.rowsFor(INPUT_BYTES), false, 42);
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private record Run(int exit, String out, String err) {
    String describe() {
      return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
    }
  }

  private Map<String, String> env(String home) {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", dir.resolve(home).toString());
    env.put("XDG_CONFIG_HOME", dir.resolve(home).resolve("config").toString());
    env.put("XDG_STATE_HOME", dir.resolve(home).resolve("state").toString());
    return env;
  }

  private Run kilnWithInput(Map<String, String> env, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliContext context =
        new CliContext(
            env,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            out,
            err,
            false,
            false,
            Clock.systemUTC());
    int exit = KilnCli.commandLine(context).execute(args);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Run kiln(Map<String, String> env, String... args) {
    return kilnWithInput(env, "", args);
  }

  @Test
  void logsInUploadsRunsWatchesAndDownloadsEveryRecordInOrder() throws Exception {
    Map<String, String> env = env("alice");
    String url = platform.apiUrl().toString();
    String email = platform.account().email();

    Run wrong =
        kilnWithInput(
            env, "not the password\n", "login", "--url", url, "--email", email, "--password-stdin");
    assertThat(wrong.exit()).as(wrong.describe()).isEqualTo(ExitCodes.AUTH);
    assertOneLine(wrong);

    Run login =
        kilnWithInput(
            env,
            platform.account().password() + "\n",
            "login",
            "--url",
            url,
            "--email",
            email,
            "--password-stdin");
    assertThat(login.exit()).as(login.describe()).isZero();
    Path credentials = dir.resolve("alice/config/kiln/credentials.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)))
        .isEqualTo("rw-------");

    Run whoami = kiln(env, "--output", "json", "whoami");
    assertThat(whoami.exit()).as(whoami.describe()).isZero();
    assertThat(JSON.readTree(whoami.out()).get("email").asText()).isEqualTo(email);
    assertThat(JSON.readTree(whoami.out()).get("via").asText()).isEqualTo("api-key");

    long shardBytes = Math.max(65_536, Files.size(input) / 16);
    Run run =
        kiln(
            env,
            "run",
            "--processor",
            "parse",
            "--param",
            "format=csv",
            "--param",
            "shardBytes=" + shardBytes,
            "--watch",
            "--output",
            "json",
            input.toString());
    assertThat(run.exit()).as(run.describe()).isZero();
    JsonNode job = JSON.readTree(run.out());
    assertThat(job.get("state").asText()).isEqualTo(JobState.SUCCEEDED.name());
    assertThat(run.err()).contains("submitted").contains(JobState.SUCCEEDED.name());
    String jobId = job.get("id").asText();

    Run watch = kiln(env, "watch", jobId);
    assertThat(watch.exit()).as(watch.describe()).isZero();

    Path output = dir.resolve("output.jsonl");
    Run download = kiln(env, "download", jobId, "-o", output.toString());
    assertThat(download.exit()).as(download.describe()).isZero();
    OutputCheck.Result check = OutputCheck.check(input, output, "parse");
    assertThat(check.recordsMatch()).as(String.valueOf(check)).isTrue();
    assertThat(check.records()).isEqualTo(Demo.rowsFor(INPUT_BYTES));

    Run jobs = kiln(env, "--output", "json", "jobs", "ls");
    assertThat(JSON.readTree(jobs.out()).findValuesAsText("id")).contains(jobId);
    Run files = kiln(env, "files", "ls");
    assertThat(files.out()).contains("input.csv").contains(FileState.READY.name());

    Run keys = kiln(env, "--output", "json", "keys", "ls");
    assertThat(keys.exit()).as(keys.describe()).isZero();
    assertThat(keys.out()).contains("kiln cli on");
    Run users = kiln(env, "--output", "json", "admin", "users", "ls");
    assertThat(users.exit()).as(users.describe()).isZero();
    assertThat(users.out()).contains(email);
    Run budget = kiln(env, "--output", "json", "admin", "users", "budget", email, "12.50");
    assertThat(budget.exit()).as(budget.describe()).isZero();
    assertThat(JSON.readTree(budget.out()).get("monthlyBudgetUsd").decimalValue())
        .isEqualByComparingTo("12.5");
    assertThat(kiln(env, "admin", "users", "budget", email, "none").exit()).isZero();
    Run nobody = kiln(env, "admin", "users", "disable", "nobody@example.com");
    assertThat(nobody.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertOneLine(nobody);
    Run fleet = kiln(env, "admin", "fleet");
    assertThat(fleet.exit()).as(fleet.describe()).isZero();

    Run logout = kiln(env, "logout");
    assertThat(logout.exit()).as(logout.describe()).isZero();
    Run after = kiln(env, "whoami");
    assertThat(after.exit()).isEqualTo(ExitCodes.AUTH);
    assertOneLine(after);
  }

  @Test
  void eachFailureIsOneLineWithItsExitCode() throws Exception {
    Map<String, String> env = env("bob");
    String key = platform.client().createApiKey("failures").key();
    env.put("KILN_URL", platform.apiUrl().toString());
    env.put("KILN_API_KEY", key);

    Run unknownJob = kiln(env, "jobs", "show", UUID.randomUUID().toString());
    assertThat(unknownJob.exit()).as(unknownJob.describe()).isEqualTo(ExitCodes.NOT_FOUND);
    assertOneLine(unknownJob);

    Run badKey = kiln(withEnv(env, "KILN_API_KEY", "kiln_not_a_key"), "whoami");
    assertThat(badKey.exit()).as(badKey.describe()).isEqualTo(ExitCodes.AUTH);
    assertOneLine(badKey);

    Run noNetwork = kiln(withEnv(env, "KILN_URL", "http://127.0.0.1:" + closedPort()), "whoami");
    assertThat(noNetwork.exit()).as(noNetwork.describe()).isEqualTo(ExitCodes.NETWORK);
    assertOneLine(noNetwork);
    assertThat(noNetwork.err()).contains("cannot reach the Kiln API");

    Run usage = kiln(env, "run", "--processor");
    assertThat(usage.exit()).isEqualTo(ExitCodes.USAGE);

    Run debug = kiln(env, "--debug", "jobs", "show", UUID.randomUUID().toString());
    assertThat(debug.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(debug.err()).contains("KilnApiException").contains("\tat ");
  }

  @Test
  void theExitCodeSaysHowTheJobEnded() throws Exception {
    Map<String, String> env = env("dave");
    env.put("KILN_URL", platform.apiUrl().toString());
    env.put("KILN_API_KEY", platform.client().createApiKey("outcomes").key());

    StringBuilder rows = new StringBuilder("id,x\n");
    for (int i = 0; i < 100; i++) {
      rows.append(i).append(i % 10 == 0 ? "\n" : ",1\n");
    }
    Path bad = Files.writeString(dir.resolve("bad.csv"), rows);
    Run failed =
        kiln(
            env,
            "run",
            "--processor",
            "parse",
            "--param",
            "format=csv",
            "--param",
            "maxErrorRate=0",
            "--watch",
            bad.toString());
    assertThat(failed.exit()).as(failed.describe()).isEqualTo(ExitCodes.JOB_FAILED);
    assertThat(failed.out()).contains(JobState.FAILED.name()).contains("maxErrorRate");
    Run failedJobs =
        kiln(
            env,
            "--output",
            "json",
            "jobs",
            "ls",
            "--state",
            JobState.FAILED.name(),
            "--limit",
            "1");
    String failedJob = JSON.readTree(failedJobs.out()).get(0).get("id").asText();
    Run errors = kiln(env, "errors", failedJob, "--output", "json");
    assertThat(errors.exit()).as(errors.describe()).isZero();
    JsonNode failedRecords = JSON.readTree(errors.out());
    assertThat(failedRecords).hasSize(10);
    assertThat(failedRecords.get(0).get("line").asLong()).as("after the header").isEqualTo(2);
    assertThat(failedRecords.get(9).get("line").asLong()).isEqualTo(92);
    Path errorsFile = dir.resolve("bad.errors.jsonl");
    Run downloaded = kiln(env, "errors", failedJob, "--download", errorsFile.toString());
    assertThat(downloaded.exit()).as(downloaded.describe()).isZero();
    assertThat(Files.readAllLines(errorsFile)).hasSize(10);
    Run table = kiln(env, "errors", failedJob);
    assertThat(table.out()).contains("LINE").contains("bad.csv");

    Run upload = kiln(env, "--output", "json", "upload", input.toString());
    assertThat(upload.exit()).as(upload.describe()).isZero();
    String fileId = JSON.readTree(upload.out()).get(0).get("id").asText();
    Run submitted = kiln(env, "run", "--processor", "parse", "--param", "format=csv", fileId);
    assertThat(submitted.exit()).as(submitted.describe()).isZero();
    String jobId = submitted.out().strip();
    Run cancel = kiln(env, "jobs", "cancel", jobId);
    assertThat(cancel.exit()).as(cancel.describe()).isZero();
    Run watch = kiln(env, "watch", jobId);
    assertThat(watch.exit()).as(watch.describe()).isEqualTo(ExitCodes.JOB_CANCELLED);
    Run download = kiln(env, "download", jobId);
    assertThat(download.exit()).isEqualTo(ExitCodes.GENERAL);
    assertOneLine(download);
  }

  @Test
  void anOperatorRequeuesADeadLetterOnceItsCauseIsGoneAndTheJobSucceeds() throws Exception {
    Map<String, String> env = env("erin");
    env.put("KILN_URL", platform.apiUrl().toString());
    env.put("KILN_API_KEY", platform.client().createApiKey("operator").key());
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      lines.append("{\"id\":").append(i).append("}\n");
    }
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write(lines.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] bytes = zipped.toByteArray();
    Path records = Files.write(dir.resolve("restored.jsonl.gz"), bytes);
    Run upload = kiln(env, "--output", "json", "upload", records.toString());
    assertThat(upload.exit()).as(upload.describe()).isZero();
    UUID fileId = UUID.fromString(JSON.readTree(upload.out()).get(0).get("id").asText());
    UUID ownerId =
        UUID.fromString(
            JSON.readTree(kiln(env, "--output", "json", "whoami").out()).get("accountId").asText());
    ObjectStore store = ObjectStore.create(LocalConfigs.s3Settings(platform.stack()));
    String bucket = store.settings().uploadsBucket();
    String key = ObjectKeys.upload(ownerId, fileId, "restored.jsonl.gz");
    // The stored input is damaged (same size, not gzip): every attempt at its shard fails, and the
    // job allows one.
    store.put(bucket, key, new byte[bytes.length]);
    Run failed =
        kiln(
            env,
            "run",
            "--processor",
            "parse",
            "--param",
            "format=jsonl",
            "--param",
            "maxAttempts=1",
            "--output",
            "json",
            "--watch",
            fileId.toString());
    assertThat(failed.exit()).as(failed.describe()).isEqualTo(ExitCodes.JOB_FAILED);
    String jobId = JSON.readTree(failed.out()).get("id").asText();

    Run dead = kiln(env, "--output", "json", "admin", "dead-letters", "ls", "--job", jobId);
    assertThat(dead.exit()).as(dead.describe()).isZero();
    JsonNode letters = JSON.readTree(dead.out());
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).get("shardIndex").asInt()).isZero();
    assertThat(letters.get(0).get("attempts").asInt()).isEqualTo(1);
    assertThat(letters.get(0).get("reason").asText()).isNotBlank();
    assertThat(kiln(env, "admin", "dead-letters", "ls").out()).contains(jobId);

    // The operator restores the input, then requeues: the job runs to its end.
    store.put(bucket, key, bytes);
    Run requeue = kiln(env, "admin", "dead-letters", "requeue", jobId, "0");
    assertThat(requeue.exit()).as(requeue.describe()).isZero();
    assertThat(requeue.out()).contains("Requeued 1 shard(s) of 1 job(s)");
    Run watch = kiln(env, "watch", jobId);
    assertThat(watch.exit()).as(watch.describe()).isZero();
    assertThat(
            JSON.readTree(
                kiln(env, "--output", "json", "admin", "dead-letters", "ls", "--job", jobId).out()))
        .isEmpty();

    Run again = kiln(env, "admin", "dead-letters", "requeue", jobId, "0");
    assertThat(again.exit()).as(again.describe()).isEqualTo(ExitCodes.NOT_FOUND);
    assertOneLine(again);
    Run neither = kiln(env, "admin", "dead-letters", "requeue");
    assertThat(neither.exit()).isEqualTo(ExitCodes.USAGE);
    assertOneLine(neither);
    Run all =
        kiln(
            env,
            "--output",
            "json",
            "admin",
            "dead-letters",
            "requeue",
            "--all",
            "--processor",
            "parse");
    assertThat(all.exit()).as(all.describe()).isZero();
    assertThat(JSON.readTree(all.out()).get("more").asBoolean()).isFalse();

    Run queues = kiln(env, "--output", "json", "admin", "queues");
    assertThat(queues.exit()).as(queues.describe()).isZero();
    Run agents = kiln(env, "--output", "json", "admin", "agents", "ls");
    assertThat(agents.exit()).as(agents.describe()).isZero();
    assertThat(JSON.readTree(agents.out())).isNotEmpty();
    Run noAgent = kiln(env, "admin", "agents", "drain", "no-such-agent");
    assertThat(noAgent.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertOneLine(noAgent);
    Run search =
        kiln(
            env,
            "--output",
            "json",
            "admin",
            "users",
            "ls",
            "--search",
            platform.account().email());
    assertThat(JSON.readTree(search.out())).hasSize(1);
    Run quota =
        kiln(
            env, "--output", "json", "admin", "users", "quota", platform.account().email(), "20GB");
    assertThat(quota.exit()).as(quota.describe()).isZero();
    assertThat(JSON.readTree(quota.out()).get("quotaBytes").asLong()).isEqualTo(20_000_000_000L);
    assertThat(kiln(env, "admin", "users", "quota", platform.account().email(), "default").exit())
        .isZero();
  }

  @Test
  void aFolderRunsAsOneRecordPerFileInPathOrder() throws Exception {
    Map<String, String> env = env("erin");
    env.put("KILN_URL", platform.apiUrl().toString());
    env.put("KILN_API_KEY", platform.client().createApiKey("folder").key());
    Path folder = dir.resolve("photos");
    java.util.Random random = new java.util.Random(11);
    java.util.TreeMap<String, byte[]> files = new java.util.TreeMap<>();
    for (int i = 0; i < 40; i++) {
      byte[] bytes = new byte[i % 9 == 0 ? 70_000 : random.nextInt(3000)];
      random.nextBytes(bytes);
      String name = (i % 3 == 0 ? "day-" + (i % 2) + "/" : "") + String.format("img-%02d.jpg", i);
      files.put(name, bytes);
      Files.createDirectories(folder.resolve(name).getParent());
      Files.write(folder.resolve(name), bytes);
    }

    Run run =
        kiln(
            env,
            "run",
            "--processor",
            "checksum",
            "--param",
            "shardBytes=65536",
            "--watch",
            "--output",
            "json",
            folder.toString());
    assertThat(run.exit()).as(run.describe()).isZero();
    JsonNode job = JSON.readTree(run.out());
    assertThat(job.get("progress").get("shardsTotal").asInt()).isGreaterThan(2);
    Path output = dir.resolve("photos.out.jsonl");
    Run download = kiln(env, "download", job.get("id").asText(), "-o", output.toString());
    assertThat(download.exit()).as(download.describe()).isZero();

    List<String> rows = Files.readAllLines(output);
    List<String> names = new java.util.ArrayList<>();
    for (String row : rows) {
      JsonNode node = JSON.readTree(row);
      String name = node.get("name").asText();
      names.add(name);
      byte[] bytes = files.get(name);
      assertThat(bytes).as(name).isNotNull();
      assertThat(node.get("bytes").asInt()).isEqualTo(bytes.length);
      assertThat(node.get("sha256").asText())
          .isEqualTo(
              java.util.HexFormat.of()
                  .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
    }
    List<String> inPathOrder;
    try (var walk = Files.walk(folder)) {
      inPathOrder =
          walk.filter(Files::isRegularFile)
              .sorted()
              .map(path -> folder.relativize(path).toString())
              .toList();
    }
    assertThat(names).containsExactlyElementsOf(inPathOrder);
  }

  @Test
  void anUploadKilledHalfWayResumesWhereItStopped() throws Exception {
    Map<String, String> env = env("carol");
    env.put("KILN_URL", platform.apiUrl().toString());
    env.put("KILN_API_KEY", platform.client().createApiKey("resume").key());
    Path file = Files.copy(input, dir.resolve("resumed.csv"));
    long parts = (Files.size(file) + 5 * 1024 * 1024 - 1) / (5 * 1024 * 1024);
    assertThat(parts).as("the input needs several parts").isGreaterThan(2);

    ProcessBuilder child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KilnCli.class.getName(),
                "upload",
                "--parallel",
                "1",
                "--limit-rate",
                "6M",
                file.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile());
    child.environment().putAll(env);
    Process process = child.start();
    Path stateDir = dir.resolve("carol/state/kiln/uploads");
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (partsDone(stateDir) < 1 && process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String childLog = Files.readString(dir.resolve("child.log"));
    int done = partsDone(stateDir);
    assertThat(done).as(childLog).isBetween(1, (int) parts - 1);
    assertThat(childLog).contains("paused after").contains("run the same command to resume");

    Run resumed = kiln(env, "--output", "json", "upload", file.toString());
    assertThat(resumed.exit()).as(resumed.describe()).isZero();
    assertThat(resumed.err()).contains("resuming").contains(done + " of " + parts + " parts");
    JsonNode uploaded = JSON.readTree(resumed.out()).get(0);
    assertThat(uploaded.get("state").asText()).isEqualTo(FileState.READY.name());
    assertThat(partsDone(stateDir)).as("the state file is gone").isZero();

    KilnClient client = new KilnClient(platform.apiUrl(), env.get("KILN_API_KEY"));
    DownloadView link = client.fileLink(UUID.fromString(uploaded.get("id").asText()));
    Path back = dir.resolve("resumed.back");
    try (InputStream in = client.openDownload(link.url())) {
      Files.copy(in, back);
    }
    assertThat(Files.mismatch(file, back)).isEqualTo(-1L);
  }

  private static int partsDone(Path stateDir) throws IOException {
    if (!Files.isDirectory(stateDir)) {
      return 0;
    }
    List<Path> states = new ArrayList<>();
    try (Stream<Path> files = Files.list(stateDir)) {
      files.filter(path -> path.toString().endsWith(".json")).forEach(states::add);
    }
    int done = 0;
    for (Path state : states) {
      try {
        done += JSON.readTree(state.toFile()).get("done").size();
      } catch (IOException halfWritten) {
        // Written atomically; a reader can only miss a file that is being replaced.
      }
    }
    return done;
  }

  private static Map<String, String> withEnv(Map<String, String> env, String name, String value) {
    Map<String, String> changed = new HashMap<>(env);
    changed.put(name, value);
    return changed;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void assertOneLine(Run run) {
    assertThat(run.err().strip().lines()).as(run.describe()).hasSize(1);
    assertThat(run.err()).startsWith("kiln: ");
  }
}
