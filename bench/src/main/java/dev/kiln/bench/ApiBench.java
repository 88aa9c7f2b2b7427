package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.KilnApiApplication;
import dev.kiln.api.KilnApiConfiguration;
import dev.kiln.core.storage.ObjectStore;
import dev.kiln.core.storage.S3Settings;
import dev.kiln.embedded.EmbeddedStack;
import dev.kiln.embedded.StackOptions;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * API speed on the local stack: {@code GET /api/v1/jobs/{id}} and {@code POST /api/v1/jobs} against
 * the trivial authenticated {@code GET /api/v1/whoami}, in the same run. Targets: the job read
 * holds at least half the trivial resource's throughput, and both job calls keep p99 under 20 ms at
 * 1,000 requests/s. Run: {@code mvn -pl bench -am -DskipTests package} then {@code mvn -pl bench
 * exec:java -Dexec.mainClass=dev.kiln.bench.ApiBench} (options: {@code -Dbench.seconds=20
 * -Dbench.users=16 -Dbench.rate=1000}).
 */
public final class ApiBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = Integer.getInteger("bench.seconds", 15);
    int users = Integer.getInteger("bench.users", 16);
    int rate = Integer.getInteger("bench.rate", 1000);
    Path dir = Files.createTempDirectory("kiln-bench");
    try (EmbeddedStack stack = EmbeddedStack.start(StackOptions.embeddedAt(dir))) {
      S3Settings s3 =
          S3Settings.compatible(
                  stack.s3().endpoint(),
                  stack.s3().region(),
                  stack.s3().accessKey(),
                  stack.s3().secretKey())
              .withBuckets("kiln-uploads-bench", "kiln-results-bench");
      try (ObjectStore store = ObjectStore.create(s3)) {
        store.ensureBucket(s3.uploadsBucket());
        store.ensureBucket(s3.resultsBucket());
      }
      Path config = dir.resolve("bench-api.yml");
      try (InputStream in = ApiBench.class.getResourceAsStream("/bench-api.yml")) {
        Files.copy(in, config, StandardCopyOption.REPLACE_EXISTING);
      }
      DropwizardTestSupport<KilnApiConfiguration> app =
          new DropwizardTestSupport<>(
              KilnApiApplication.class,
              config.toString(),
              ConfigOverride.config("database.url", stack.postgres().jdbcUrl()),
              ConfigOverride.config("database.user", stack.postgres().user()),
              ConfigOverride.config("database.password", stack.postgres().password()),
              ConfigOverride.config("redis.uri", stack.redisUri()),
              ConfigOverride.config("s3.endpoint", s3.endpoint().orElseThrow().toString()),
              ConfigOverride.config("s3.accessKey", s3.accessKey().orElseThrow()),
              ConfigOverride.config("s3.secretKey", s3.secretKey().orElseThrow()),
              ConfigOverride.config("s3.region", s3.region()),
              ConfigOverride.config("s3.uploadsBucket", s3.uploadsBucket()),
              ConfigOverride.config("s3.resultsBucket", s3.resultsBucket()));
      app.before();
      try {
        run(URI.create("http://127.0.0.1:" + app.getLocalPort()), seconds, users, rate);
      } finally {
        app.after();
      }
    }
  }

  private static void run(URI base, int seconds, int users, int rate) throws Exception {
    HttpClient setup = HttpClient.newHttpClient();
    String token =
        post(
                setup,
                base,
                "/api/v1/auth/signup",
                null,
                Map.of(
                    "email",
                    "bench-" + UUID.randomUUID() + "@example.com",
                    "password",
                    "a long bench password"))
            .get("accessToken")
            .asText();
    JsonNode upload =
        post(setup, base, "/api/v1/files", token, Map.of("name", "rows.csv", "sizeBytes", 8));
    setup.send(
        HttpRequest.newBuilder(URI.create(upload.get("uploadUrl").asText()))
            .PUT(HttpRequest.BodyPublishers.ofString("a,b\n1,2\n"))
            .build(),
        HttpResponse.BodyHandlers.discarding());
    String fileId = upload.get("id").asText();
    post(setup, base, "/api/v1/files/" + fileId + "/complete", token, Map.of());
    String jobId =
        post(
                setup,
                base,
                "/api/v1/jobs",
                token,
                Map.of("processor", "parse", "inputs", List.of(fileId)))
            .get("id")
            .asText();
    byte[] submit = JSON.writeValueAsBytes(Map.of("processor", "parse", "inputs", List.of(fileId)));

    Supplier<HttpRequest> whoami = () -> get(base, "/api/v1/whoami", token);
    Supplier<HttpRequest> readJob = () -> get(base, "/api/v1/jobs/" + jobId, token);
    AtomicLong keys = new AtomicLong();
    Supplier<HttpRequest> createJob =
        () ->
            HttpRequest.newBuilder(base.resolve("/api/v1/jobs"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "bench-" + keys.incrementAndGet())
                .POST(HttpRequest.BodyPublishers.ofByteArray(submit))
                .build();

    LoadGenerator load = new LoadGenerator();
    Duration warm = Duration.ofSeconds(Math.max(3, seconds / 3));
    Duration length = Duration.ofSeconds(seconds);
    load.closedLoop(whoami, 200, users, warm);
    load.closedLoop(readJob, 200, users, warm);
    load.closedLoop(createJob, 202, users, warm);

    LoadGenerator.Result trivial = load.closedLoop(whoami, 200, users, length);
    LoadGenerator.Result read = load.closedLoop(readJob, 200, users, length);
    LoadGenerator.Result create = load.closedLoop(createJob, 202, users, length);
    LoadGenerator.Result readAtRate = load.openLoop(readJob, 200, rate, length);
    LoadGenerator.Result createAtRate = load.openLoop(createJob, 202, rate, length);
    LoadGenerator.Result trivialAtRate = load.openLoop(whoami, 200, rate, length);

    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Conditions: %d CPUs, %s, JVM %s; API (Dropwizard, 1 process) + PostgreSQL + Redis + S3Proxy"
            + " embedded on this machine; load generator in the same JVM (java.net.http, HTTP/1.1"
            + " keep-alive); %d s per run after warm-up; closed loop with %d users; open loop at %d"
            + " req/s, latency from each request's scheduled start.%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        System.getProperty("java.version"),
        seconds,
        users,
        rate);
    System.out.println("Throughput (closed loop):");
    line("GET /api/v1/whoami (trivial)", trivial);
    line("GET /api/v1/jobs/{id}", read);
    line("POST /api/v1/jobs", create);
    System.out.printf(Locale.ROOT, "Latency at %d req/s (open loop):%n", rate);
    latency("GET /api/v1/whoami (trivial)", trivialAtRate);
    latency("GET /api/v1/jobs/{id}", readAtRate);
    latency("POST /api/v1/jobs", createAtRate);
    double ratio = read.throughput() / trivial.throughput();
    boolean ratioOk = ratio >= 0.5;
    boolean readP99 = readAtRate.percentileMillis(99) < 20;
    boolean createP99 = createAtRate.percentileMillis(99) < 20;
    System.out.printf(
        Locale.ROOT,
        "Job read / trivial throughput = %.2f (target >= 0.50: %s); p99 job read %.1f ms, job"
            + " create %.1f ms (target < 20 ms: %s, %s)%n",
        ratio,
        ratioOk ? "met" : "MISSED",
        readAtRate.percentileMillis(99),
        createAtRate.percentileMillis(99),
        readP99 ? "met" : "MISSED",
        createP99 ? "met" : "MISSED");
  }

  private static void line(String name, LoadGenerator.Result result) {
    System.out.printf(
        Locale.ROOT,
        "  %-32s %8.0f req/s  (%d requests, %d failed)%n",
        name,
        result.throughput(),
        result.requests(),
        result.failures());
  }

  private static void latency(String name, LoadGenerator.Result result) {
    System.out.printf(
        Locale.ROOT,
        "  %-32s p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (%d requests, %d failed,"
            + " %.0f req/s achieved)%n",
        name,
        result.percentileMillis(50),
        result.percentileMillis(90),
        result.percentileMillis(99),
        result.percentileMillis(100),
        result.requests(),
        result.failures(),
        result.throughput());
  }

  private static HttpRequest get(URI base, String path, String token) {
    return HttpRequest.newBuilder(base.resolve(path))
        .header("Authorization", "Bearer " + token)
        .GET()
        .build();
  }

  private static JsonNode post(HttpClient http, URI base, String path, String token, Object body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
