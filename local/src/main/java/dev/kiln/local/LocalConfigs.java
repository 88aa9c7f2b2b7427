package dev.kiln.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.embedded.EmbeddedStack;
import dev.kiln.embedded.PostgresEndpoint;
import dev.kiln.embedded.S3Endpoint;
import dev.kiln.protocol.storage.S3Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the configuration files of the API and the scheduler, and the agents' environment, for
 * services of an {@link EmbeddedStack}. Stateless.
 */
final class LocalConfigs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOG_FORMAT = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n";

  private LocalConfigs() {}

  static S3Settings s3Settings(EmbeddedStack stack) {
    S3Endpoint s3 = stack.s3();
    return S3Settings.compatible(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey());
  }

  static Path writeApiConfig(EmbeddedStack stack, LocalSettings settings, Path logDir)
      throws IOException {
    String yaml =
        server(settings.apiPort(), settings.adminPort())
            + logging(settings, logDir)
            + services(stack)
            + notifications(settings)
            + """
            auth:
              jwtKeys:
                - "%s"
            credits:
              required: true
              signupCreditsUsd: 10
              provider: local
            """
                .formatted(signingKey(settings.dataDir()));
    return write(settings.dataDir().resolve("api.yml"), yaml);
  }

  static Path writeSchedulerConfig(
      EmbeddedStack stack, LocalSettings settings, String runId, Path logDir) throws IOException {
    String yaml =
        server(0, 0)
            + logging(settings, logDir)
            + services(stack)
            + notifications(settings)
            + """
            scheduler:
              nodeId: local-scheduler
            fleet: %s
            """
                .formatted(fleet(stack, settings, runId, logDir));
    return write(settings.dataDir().resolve("scheduler.yml"), yaml);
  }

  /**
   * The scheduler's {@code fleet} section, as JSON (YAML reads it as a flow mapping); the agents'
   * ids carry {@code runId} and their logs go to {@code logDir}, this run's own.
   */
  static String fleet(EmbeddedStack stack, LocalSettings settings, String runId, Path logDir)
      throws IOException {
    Map<String, Object> fleet = new LinkedHashMap<>();
    fleet.put("type", "local");
    fleet.put("minAgents", settings.minAgents());
    fleet.put("maxAgents", settings.maxAgents());
    fleet.put("interval", "2s");
    fleet.put("idleBeforeZero", "30s");
    fleet.put("targetDrain", "1m");
    fleet.put("classpath", settings.agentClasspath());
    fleet.put("environment", agentEnvironment(stack, settings));
    fleet.put("runId", runId);
    fleet.put("logDir", logDir.toString());
    fleet.put(
        "jvmArgs",
        List.of("-Xmx1g", "-Dorg.bytedeco.javacpp.cachedir=" + settings.javacppCacheDir()));
    return JSON.writeValueAsString(fleet);
  }

  static Map<String, String> agentEnvironment(EmbeddedStack stack, LocalSettings settings) {
    S3Endpoint s3 = stack.s3();
    S3Settings buckets = s3Settings(stack);
    Map<String, String> env = new HashMap<>();
    env.put("KILN_REDIS_URI", stack.redisUri());
    env.put("KILN_S3_ENDPOINT", s3.endpoint().toString());
    env.put("KILN_S3_REGION", s3.region());
    env.put("KILN_S3_ACCESS_KEY", s3.accessKey());
    env.put("KILN_S3_SECRET_KEY", s3.secretKey());
    env.put("KILN_S3_UPLOADS_BUCKET", buckets.uploadsBucket());
    env.put("KILN_S3_RESULTS_BUCKET", buckets.resultsBucket());
    env.put("KILN_IMDS_ENDPOINT", "off");
    env.put("KILN_AGENT_WORK_DIR", settings.dataDir().resolve("agents").toString());
    // The agents run in this JVM's fleet: they exit when it is gone, however it ends.
    env.put("KILN_AGENT_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
    // The agents share this machine's cores: each takes its share for TensorFlow's intra-op pool
    // and runs ops on its own thread, rather than every agent sizing pools for the whole machine.
    int cores = Runtime.getRuntime().availableProcessors();
    env.put(
        "KILN_AGENT_TF_INTRA_OP_THREADS",
        Integer.toString(Math.max(1, cores / Math.max(1, settings.maxAgents()))));
    env.put("KILN_AGENT_TF_INTER_OP_THREADS", "-1");
    return env;
  }

  private static String server(int port, int adminPort) {
    return """
        server:
          applicationConnectors:
            - type: http
              port: %d
              bindHost: 127.0.0.1
          adminConnectors:
            - type: http
              port: %d
              bindHost: 127.0.0.1
          requestLog:
            appenders: []
        """
        .formatted(port, adminPort);
  }

  /** Every service logs to {@code logDir/kiln.log}, and to the console unless told otherwise. */
  private static String logging(LocalSettings settings, Path logDir) throws IOException {
    String file =
        """
            - type: file
              currentLogFilename: %s
              archive: false
              logFormat: "%s"
        """
            .formatted(JSON.writeValueAsString(logDir.resolve("kiln.log").toString()), LOG_FORMAT);
    String console =
        """
            - type: console
              logFormat: "%s"
        """
            .formatted(LOG_FORMAT);
    return """
        logging:
          level: WARN
          loggers:
            dev.kiln: INFO
          appenders:
        """
        + (settings.consoleLogs() ? console : "")
        + file;
  }

  private static String services(EmbeddedStack stack) {
    PostgresEndpoint pg = stack.postgres();
    S3Endpoint s3 = stack.s3();
    return """
        database:
          driverClass: org.postgresql.Driver
          url: "%s"
          user: "%s"
          password: "%s"
          maxSize: 16
        redis:
          uri: "%s"
        s3:
          endpoint: "%s"
          region: "%s"
          accessKey: "%s"
          secretKey: "%s"
        """
        .formatted(
            pg.jdbcUrl(),
            pg.user(),
            pg.password(),
            stack.redisUri(),
            s3.endpoint(),
            s3.region(),
            s3.accessKey(),
            s3.secretKey());
  }

  /**
   * The {@code notifications} section of both services: webhooks may go to this machine (plain http
   * included), links in e-mails point at the local API. No mail server: e-mail is off.
   */
  private static String notifications(LocalSettings settings) {
    return """
        notifications:
          allowLoopbackWebhooks: true
          publicUrl: "http://localhost:%d"
        """
        .formatted(settings.apiPort() == 0 ? 8080 : settings.apiPort());
  }

  /** A signing key made once per data directory, so tokens survive a restart. */
  private static String signingKey(Path dataDir) throws IOException {
    Path file = dataDir.resolve("jwt-signing-key");
    if (Files.exists(file)) {
      return Files.readString(file).strip();
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String hex = HexFormat.of().formatHex(key);
    write(file, hex);
    return hex;
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }
}
