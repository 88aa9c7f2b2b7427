package dev.kiln.scheduler.record;

import dev.kiln.model.fleet.Machine;
import dev.kiln.protocol.queue.QueueEvent;
import dev.kiln.scheduler.db.SchedulerSql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Records finished attempts in Postgres in one statement per batch. A shard counts once: only a
 * {@code QUEUED} shard whose recorded attempt is older than the event's attempt is updated, so a
 * superseded or repeated event never counts. Stateless.
 *
 * <p>Each batch is joined to {@code shards} by primary-key lookups in key order: the statements
 * turn hash and merge joins off for their transaction, because with a few thousand events against
 * one big job the planner otherwise hashes every open shard of the job for each batch (or, with a
 * generic plan built on stale statistics, rescans them for each event).
 */
final class ShardOutcomes {
  private static final String DONE = SchedulerSql.read("record-done.sql");
  private static final String DEAD = SchedulerSql.read("record-dead.sql");

  /** A shard dead-lettered by this batch. */
  record DeadShard(UUID jobId, int idx, String lastError) {}

  private static final Comparator<QueueEvent> KEY_ORDER =
      Comparator.comparing(QueueEvent::jobId).thenComparingInt(QueueEvent::idx);

  private ShardOutcomes() {}

  /** Marks completions DONE and adds them to their jobs' totals; answers how many counted. */
  static int recordDone(Handle handle, List<QueueEvent> done, Instant now) {
    if (done.isEmpty()) {
      return 0;
    }
    done = inKeyOrder(done);
    int n = done.size();
    UUID[] jobs = new UUID[n];
    Integer[] idxs = new Integer[n];
    Integer[] attempts = new Integer[n];
    String[] keys = new String[n];
    Long[] bytes = new Long[n];
    Long[] records = new Long[n];
    Long[] errors = new Long[n];
    String[] errorKeys = new String[n];
    Double[] seconds = new Double[n];
    Long[] newlines = new Long[n];
    String[] instanceTypes = new String[n];
    String[] purchaseOptions = new String[n];
    String[] zones = new String[n];
    for (int i = 0; i < n; i++) {
      QueueEvent e = done.get(i);
      Machine machine = e.result().machine();
      instanceTypes[i] = machine == null ? null : machine.instanceType();
      purchaseOptions[i] = machine == null ? null : machine.purchaseOption().wireName();
      zones[i] = machine == null ? null : machine.availabilityZone();
      jobs[i] = e.jobId();
      idxs[i] = e.idx();
      attempts[i] = e.attempt();
      keys[i] = e.result().outputKey();
      bytes[i] = e.result().outputBytes();
      records[i] = e.result().records();
      errors[i] = e.result().errors();
      errorKeys[i] = e.result().errorKey();
      seconds[i] = e.result().busySeconds();
      newlines[i] = e.result().newlines();
    }
    byPrimaryKey(handle);
    return handle
        .createQuery(DONE)
        .bindArray("jobIds", UUID.class, (Object[]) jobs)
        .bindArray("idxs", Integer.class, (Object[]) idxs)
        .bindArray("attempts", Integer.class, (Object[]) attempts)
        .bindArray("keys", String.class, (Object[]) keys)
        .bindArray("bytes", Long.class, (Object[]) bytes)
        .bindArray("records", Long.class, (Object[]) records)
        .bindArray("errors", Long.class, (Object[]) errors)
        .bindArray("errorKeys", String.class, (Object[]) errorKeys)
        .bindArray("seconds", Double.class, (Object[]) seconds)
        .bindArray("newlines", Long.class, (Object[]) newlines)
        .bindArray("instanceTypes", String.class, (Object[]) instanceTypes)
        .bindArray("purchaseOptions", String.class, (Object[]) purchaseOptions)
        .bindArray("zones", String.class, (Object[]) zones)
        .bind("now", now)
        .mapTo(Integer.class)
        .one();
  }

  /** Marks dead letters DEAD with their reason; answers the shards that changed. */
  static List<DeadShard> recordDead(Handle handle, List<QueueEvent> dead, Instant now) {
    if (dead.isEmpty()) {
      return List.of();
    }
    dead = inKeyOrder(dead);
    int n = dead.size();
    UUID[] jobs = new UUID[n];
    Integer[] idxs = new Integer[n];
    Integer[] attempts = new Integer[n];
    String[] messages = new String[n];
    Integer[] spent = new Integer[n];
    for (int i = 0; i < n; i++) {
      QueueEvent e = dead.get(i);
      jobs[i] = e.jobId();
      idxs[i] = e.idx();
      attempts[i] = e.attempt();
      messages[i] = e.error();
      spent[i] = e.attemptsSpent();
    }
    byPrimaryKey(handle);
    return handle
        .createQuery(DEAD)
        .bindArray("jobIds", UUID.class, (Object[]) jobs)
        .bindArray("idxs", Integer.class, (Object[]) idxs)
        .bindArray("attempts", Integer.class, (Object[]) attempts)
        .bindArray("messages", String.class, (Object[]) messages)
        .bindArray("spent", Integer.class, (Object[]) spent)
        .bind("now", now)
        .map(
            (rs, ctx) ->
                new DeadShard(
                    rs.getObject("job_id", UUID.class),
                    rs.getInt("idx"),
                    rs.getString("last_error")))
        .list();
  }

  private static List<QueueEvent> inKeyOrder(List<QueueEvent> events) {
    List<QueueEvent> sorted = new ArrayList<>(events);
    sorted.sort(KEY_ORDER);
    return sorted;
  }

  /** Makes the batch's join probe the primary key, for the rest of the transaction. */
  private static void byPrimaryKey(Handle handle) {
    handle.execute("set local enable_hashjoin = off");
    handle.execute("set local enable_mergejoin = off");
  }
}
