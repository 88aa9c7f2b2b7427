package dev.kiln.agent;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.util.Locale;

/**
 * The agent's metrics in the Prometheus client's registry: shards ended by outcome, each completed
 * shard's service time and time from its lease to its completion, records processed (their rate is
 * the agent's records per second) and how long the agent waited with a free slot before a lease
 * brought work. Thread-safe.
 */
public final class AgentMetrics {
  public static final String SHARDS = "kiln_agent_shards";
  public static final String SERVICE = "kiln_agent_shard_service_seconds";
  public static final String RECORDS = "kiln_agent_records";
  public static final String LEASE_WAIT = "kiln_agent_lease_wait_seconds";
  public static final String LEASE_TO_COMPLETION = "kiln_agent_lease_to_completion_seconds";

  private final PrometheusRegistry registry;
  private final Counter shards;
  private final Histogram service;
  private final Counter records;
  private final Histogram leaseWait;
  private final Histogram leaseToCompletion;

  private AgentMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    shards =
        Counter.builder()
            .name(SHARDS)
            .help("Shard attempts this agent ended, by outcome (completed, failed, released, ...)")
            .labelNames("outcome")
            .register(registry);
    service =
        Histogram.builder()
            .name(SERVICE)
            .help("Busy time of one completed shard attempt on this agent")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)
            .register(registry);
    records =
        Counter.builder()
            .name(RECORDS)
            .help("Records this agent processed in completed shards; rate() gives records/s")
            .register(registry);
    leaseWait =
        Histogram.builder()
            .name(LEASE_WAIT)
            .help("From a slot falling free (or the first lease) to a lease bringing it work")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900)
            .register(registry);
    leaseToCompletion =
        Histogram.builder()
            .name(LEASE_TO_COMPLETION)
            .help("From a shard's lease to its completion report, waiting for a worker included")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)
            .register(registry);
    for (ShardWorker.Outcome outcome : ShardWorker.Outcome.values()) {
      shards.labelValues(label(outcome));
    }
  }

  /** Metrics registered in {@code registry}. */
  public static AgentMetrics registeredIn(PrometheusRegistry registry) {
    return new AgentMetrics(registry);
  }

  /** Metrics nobody scrapes (tests, embedded agents). */
  public static AgentMetrics unscraped() {
    return new AgentMetrics(new PrometheusRegistry());
  }

  /** The registry they are in, for the endpoint that serves them. */
  public PrometheusRegistry registry() {
    return registry;
  }

  void shardEnded(ShardWorker.Outcome outcome) {
    shards.labelValues(label(outcome)).inc();
  }

  void shardCompleted(double busySeconds, long recordCount, Duration sinceLease) {
    service.observe(Math.max(0, busySeconds));
    leaseToCompletion.observe(Math.max(0, sinceLease.toNanos() / 1e9));
    records.inc(Math.max(0, recordCount));
  }

  void leaseWaited(Duration waited) {
    leaseWait.observe(Math.max(0, waited.toNanos() / 1e9));
  }

  private static String label(ShardWorker.Outcome outcome) {
    return outcome.name().toLowerCase(Locale.ROOT);
  }
}
