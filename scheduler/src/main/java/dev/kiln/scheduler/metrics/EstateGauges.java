package dev.kiln.scheduler.metrics;

import dev.kiln.db.spend.BudgetCheck;
import dev.kiln.db.spend.SpendDao;
import dev.kiln.model.Pricing;
import dev.kiln.model.fleet.AgentStatus;
import dev.kiln.protocol.fleet.AgentStatusStore;
import dev.kiln.protocol.queue.QueueStats;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges of the whole estate, read when Prometheus scrapes: the work queue in Redis, shards waiting
 * per processor and dead letters in PostgreSQL, agents by state, and this month's spend. A source
 * that cannot be read leaves its gauge out of that scrape. Thread-safe.
 */
public final class EstateGauges {
  public static final String QUEUE_SHARDS = "kiln_queue_shards";
  public static final String WAITING_SHARDS = "kiln_waiting_shards";
  public static final String DEAD_LETTERS = "kiln_dead_letter_shards";
  public static final String AGENTS = "kiln_agents";
  public static final String MONTH_SPEND = "kiln_month_spend_usd";

  private static final Logger LOG = LoggerFactory.getLogger(EstateGauges.class);

  /** Open jobs, and those of the last day so that a processor's gauge falls to 0, not away. */
  private static final String WAITING_BY_PROCESSOR =
      "select j.processor, count(s.job_id) from jobs j"
          + " left join shards s on s.job_id = j.id and s.state = <shard_QUEUED>"
          + " where j.state in (<job_OPEN>) or j.created_at >= :since group by j.processor";

  private static final String DEAD =
      "select count(*) from shards where state = <shard_DEAD> and discarded_at is null";

  private EstateGauges() {}

  /** Registers the gauges in {@code registry}. */
  public static void register(
      PrometheusRegistry registry,
      Supplier<QueueStats> queue,
      Jdbi jdbi,
      AgentStatusStore agents,
      Pricing pricing,
      Clock clock) {
    GaugeWithCallback.builder()
        .name(QUEUE_SHARDS)
        .help("Shards in the Redis work queue, by state")
        .labelNames("state")
        .callback(
            callback ->
                read(QUEUE_SHARDS, queue)
                    .ifPresent(
                        stats -> {
                          callback.call(stats.ready(), "ready");
                          callback.call(stats.leased(), "leased");
                          callback.call(stats.delayed(), "delayed");
                          callback.call(stats.unrecordedEvents(), "unrecorded");
                        }))
        .register(registry);
    GaugeWithCallback.builder()
        .name(WAITING_SHARDS)
        .help("Shards PostgreSQL counts as queued or running, by processor of recent or open jobs")
        .labelNames("processor")
        .callback(
            callback ->
                read(WAITING_SHARDS, () -> waitingByProcessor(jdbi, clock))
                    .ifPresent(counts -> counts.forEach((p, n) -> callback.call(n, p))))
        .register(registry);
    GaugeWithCallback.builder()
        .name(DEAD_LETTERS)
        .help("Dead-lettered shards waiting for a requeue, a discard or their job's deletion")
        .callback(
            callback ->
                read(
                        DEAD_LETTERS,
                        () -> jdbi.withHandle(h -> h.createQuery(DEAD).mapTo(Long.class).one()))
                    .ifPresent(callback::call))
        .register(registry);
    GaugeWithCallback.builder()
        .name(AGENTS)
        .help("Agents that reported their status recently, by state")
        .labelNames("state")
        .callback(
            callback ->
                read(AGENTS, () -> agentsByState(agents))
                    .ifPresent(counts -> counts.forEach((s, n) -> callback.call(n, s))))
        .register(registry);
    GaugeWithCallback.builder()
        .name(MONTH_SPEND)
        .help("Agent time of this calendar month (UTC) at the configured hourly price, in USD")
        .callback(
            callback ->
                read(MONTH_SPEND, () -> monthSpendUsd(jdbi, pricing, clock))
                    .ifPresent(callback::call))
        .register(registry);
  }

  private static Map<String, Long> waitingByProcessor(Jdbi jdbi, Clock clock) {
    Map<String, Long> counts = new TreeMap<>();
    jdbi.useHandle(
        handle ->
            handle
                .createQuery(WAITING_BY_PROCESSOR)
                .bind("since", clock.instant().minus(Duration.ofDays(1)))
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(row -> counts.put(row.getKey(), row.getValue())));
    return counts;
  }

  private static Map<String, Long> agentsByState(AgentStatusStore agents) {
    Map<String, Long> counts = new TreeMap<>();
    for (AgentStatus status : agents.all()) {
      counts.merge(status.state().name(), 1L, Long::sum);
    }
    return counts;
  }

  private static double monthSpendUsd(Jdbi jdbi, Pricing pricing, Clock clock) {
    Instant now = clock.instant();
    double seconds = jdbi.onDemand(SpendDao.class).agentSeconds(BudgetCheck.monthStart(now), now);
    return pricing.costUsd(seconds);
  }

  private static <T> Optional<T> read(String gauge, Supplier<T> source) {
    try {
      return Optional.ofNullable(source.get());
    } catch (RuntimeException e) {
      LOG.debug("could not read {} for a scrape", gauge, e);
      return Optional.empty();
    }
  }
}
