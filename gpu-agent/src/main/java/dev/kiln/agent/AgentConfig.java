package dev.kiln.agent;

import dev.kiln.protocol.storage.MultipartOutputStream;
import dev.kiln.protocol.storage.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How an agent runs. Read from {@code KILN_*} settings by {@link #fromEnvironment} (the
 * environment, or standard input for secrets: {@link AgentSettings}); gpu-agent/README.md lists
 * them.
 *
 * @param agentId unique name of this agent in the queue and registry
 * @param processors processors to offer (empty: all on the class path)
 * @param leaseBatch {@code k}: shards held at once (computing plus prefetching); by default as many
 *     as are computed at once, so no agent holds a shard it has not started while another idles
 * @param workers shards computed at once
 * @param visibility lease deadline granted by each lease and heartbeat
 * @param heartbeatInterval time between heartbeats
 * @param pollInterval longest wait for the queue's wake-up, when it was empty, before asking again
 *     (work arriving ends the wait at once; this only bounds a wake-up lost to a Redis restart)
 * @param workDir scratch directory
 * @param modelCacheDir where unpacked models are cached by content hash
 * @param redisUri the work queue's Redis
 * @param s3 the object store: on AWS without keys (the instance profile's credentials are used),
 *     with an S3-compatible endpoint with its keys
 * @param maxRecordBytes longest input record accepted
 * @param batchSize records per batch when the job does not say ({@code batchSize} parameter)
 * @param batchChars a batch also ends once its records hold this many characters
 * @param prefetchBatches batches read ahead per shard
 * @param partBytes the output part's upload buffer: a part that fits is written with one PUT, a
 *     larger one as a multipart upload of parts this size
 * @param drainGrace longest time a drain waits for running shards before releasing them
 * @param imdsEndpoint EC2 instance metadata service, or empty to not watch it (local mode)
 * @param imdsPollInterval time between instance metadata checks for interruption notices
 */
public record AgentConfig(
    String agentId,
    Set<String> processors,
    int leaseBatch,
    int workers,
    Duration visibility,
    Duration heartbeatInterval,
    Duration pollInterval,
    Path workDir,
    Path modelCacheDir,
    String redisUri,
    S3Settings s3,
    int maxRecordBytes,
    int batchSize,
    long batchChars,
    int prefetchBatches,
    int partBytes,
    Duration drainGrace,
    Optional<URI> imdsEndpoint,
    Duration imdsPollInterval) {

  /**
   * 64 MiB: the output of a shard of the default 64 MiB input usually fits, so it costs one PUT
   * request instead of a multipart upload of 5 MiB parts (fewer requests, and no server-side
   * concatenation of the parts).
   */
  static final int DEFAULT_PART_BYTES = 64 * 1024 * 1024;

  public AgentConfig {
    processors = Set.copyOf(processors);
    require(leaseBatch >= 1, "KILN_AGENT_LEASE_BATCH must be at least 1");
    require(workers >= 1 && workers <= leaseBatch, "KILN_AGENT_WORKERS must be 1..leaseBatch");
    require(
        heartbeatInterval.compareTo(visibility) < 0,
        "KILN_AGENT_HEARTBEAT_SECONDS must be shorter than KILN_AGENT_VISIBILITY_SECONDS");
    require(maxRecordBytes >= 1024, "KILN_AGENT_MAX_RECORD_BYTES must be at least 1024");
    require(batchSize >= 1, "KILN_AGENT_BATCH_SIZE must be at least 1");
    require(prefetchBatches >= 1, "KILN_AGENT_PREFETCH_BATCHES must be at least 1");
    require(
        partBytes >= MultipartOutputStream.MIN_PART_BYTES,
        "KILN_AGENT_PART_BYTES must be at least " + MultipartOutputStream.MIN_PART_BYTES);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * Reads the configuration from {@code KILN_*} settings; every one has a default fit for local
   * mode. S3 keys are read only with an S3-compatible endpoint: on AWS the agent uses its instance
   * profile and ignores keys.
   */
  public static AgentConfig fromEnvironment(Map<String, String> env) {
    Path workDir =
        Path.of(
            get(env, "KILN_AGENT_WORK_DIR", System.getProperty("java.io.tmpdir") + "/kiln-agent"));
    String region = get(env, "KILN_S3_REGION", get(env, "AWS_REGION", "us-east-1"));
    S3Settings s3 =
        Optional.ofNullable(env.get("KILN_S3_ENDPOINT"))
            .filter(s -> !s.isBlank())
            .map(
                endpoint ->
                    S3Settings.compatible(
                        URI.create(endpoint),
                        region,
                        get(env, "KILN_S3_ACCESS_KEY", "kiln"),
                        get(env, "KILN_S3_SECRET_KEY", "kiln-secret")))
            .orElseGet(() -> S3Settings.aws(region));
    s3 =
        s3.withBuckets(
            get(env, "KILN_S3_UPLOADS_BUCKET", s3.uploadsBucket()),
            get(env, "KILN_S3_RESULTS_BUCKET", s3.resultsBucket()));
    String imds = get(env, "KILN_IMDS_ENDPOINT", "http://169.254.169.254");
    Set<String> processors = new LinkedHashSet<>();
    Arrays.stream(get(env, "KILN_AGENT_PROCESSORS", "").split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .forEach(processors::add);
    int workers = integer(env, "KILN_AGENT_WORKERS", 1);
    return new AgentConfig(
        get(env, "KILN_AGENT_ID", defaultAgentId()),
        processors,
        integer(env, "KILN_AGENT_LEASE_BATCH", workers),
        workers,
        Duration.ofSeconds(integer(env, "KILN_AGENT_VISIBILITY_SECONDS", 60)),
        Duration.ofSeconds(integer(env, "KILN_AGENT_HEARTBEAT_SECONDS", 10)),
        Duration.ofMillis(integer(env, "KILN_AGENT_POLL_MILLIS", 30_000)),
        workDir,
        Path.of(get(env, "KILN_AGENT_MODEL_CACHE_DIR", workDir.resolve("models").toString())),
        get(env, "KILN_REDIS_URI", "redis://127.0.0.1:6379"),
        s3,
        integer(env, "KILN_AGENT_MAX_RECORD_BYTES", 1024 * 1024),
        integer(env, "KILN_AGENT_BATCH_SIZE", 256),
        integer(env, "KILN_AGENT_BATCH_CHARS", 4 * 1024 * 1024),
        integer(env, "KILN_AGENT_PREFETCH_BATCHES", 2),
        integer(env, "KILN_AGENT_PART_BYTES", DEFAULT_PART_BYTES),
        Duration.ofSeconds(integer(env, "KILN_AGENT_DRAIN_GRACE_SECONDS", 90)),
        imds.isBlank() || imds.equalsIgnoreCase("off")
            ? Optional.empty()
            : Optional.of(URI.create(imds)),
        Duration.ofSeconds(integer(env, "KILN_IMDS_POLL_SECONDS", 5)));
  }

  /** A copy with another agent id (several agents in one process, as tests run them). */
  public AgentConfig withAgentId(String id) {
    return new AgentConfig(
        id,
        processors,
        leaseBatch,
        workers,
        visibility,
        heartbeatInterval,
        pollInterval,
        workDir,
        modelCacheDir,
        redisUri,
        s3,
        maxRecordBytes,
        batchSize,
        batchChars,
        prefetchBatches,
        partBytes,
        drainGrace,
        imdsEndpoint,
        imdsPollInterval);
  }

  private static String get(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.strip();
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
    }
  }

  private static String defaultAgentId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "agent";
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
