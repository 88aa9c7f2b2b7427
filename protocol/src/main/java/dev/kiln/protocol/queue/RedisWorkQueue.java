package dev.kiln.protocol.queue;

import dev.kiln.model.fleet.Machine;
import dev.kiln.model.fleet.PurchaseOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.redisson.api.RScript.ReturnType;
import org.redisson.api.RedissonClient;

/**
 * The work queue in Redis: every state change is one Lua script, so each is atomic. Agents use the
 * {@link WorkQueue} side; the scheduler enqueues, reaps, cancels, reads finished attempts from the
 * event stream and keeps the epoch. Thread-safe; one per process.
 *
 * <p>Attempt numbers are fencing tokens. A shard entering Redis starts at {@code max(epoch *
 * 100000, attempt recorded in Postgres)} and every lease adds one, so an attempt issued before
 * Redis lost its data never equals one issued after (epochs come from a Postgres sequence).
 */
public final class RedisWorkQueue implements WorkQueue {
  /** Attempt numbers of one epoch start at {@code epoch * ATTEMPTS_PER_EPOCH}. */
  public static final int ATTEMPTS_PER_EPOCH = 100_000;

  private static final int ENQUEUE_CHUNK = 500;
  private static final String SEPARATOR = "\u001f";
  private static final String RECORD_SEPARATOR = "\u001e";

  private final RedissonClient redisson;
  private final Clock clock;
  private final QueueSettings settings;
  private final LuaScripts scripts;

  public RedisWorkQueue(RedissonClient redisson, Clock clock) {
    this(redisson, clock, QueueSettings.defaults());
  }

  public RedisWorkQueue(RedissonClient redisson, Clock clock, QueueSettings settings) {
    this.redisson = redisson;
    this.clock = clock;
    this.settings = settings;
    this.scripts = new LuaScripts(redisson, settings.prefix());
  }

  public QueueSettings settings() {
    return settings;
  }

  // ---- agent side ----

  @Override
  public List<Lease> lease(String agentId, Set<String> processors, int max, Duration visibility) {
    if (max <= 0 || processors.isEmpty()) {
      return List.of();
    }
    long now = clock.millis();
    List<Object> args = new ArrayList<>(5 + processors.size());
    args.add(Long.toString(now));
    args.add(Long.toString(visibility.toMillis()));
    args.add(Integer.toString(max));
    args.add(agentId);
    args.add(Integer.toString(processors.size()));
    args.addAll(processors);
    String reply = scripts.run("lease", ReturnType.VALUE, args.toArray());
    Instant deadline = Instant.ofEpochMilli(now + visibility.toMillis());
    List<Lease> leases = new ArrayList<>();
    if (reply == null || reply.isEmpty()) {
      return leases;
    }
    for (String leased : reply.split(RECORD_SEPARATOR)) {
      int afterId = leased.indexOf(SEPARATOR);
      int afterAttempt = leased.indexOf(SEPARATOR, afterId + 1);
      ShardTask task = ShardTaskJson.read(leased.substring(afterAttempt + 1));
      leases.add(
          new Lease(
              task, Integer.parseInt(leased, afterId + 1, afterAttempt, 10), agentId, deadline));
    }
    return leases;
  }

  /**
   * Blocks on the processors' wake-up lists ({@code BLPOP}) on a connection of its own: the lease,
   * enqueue, reap, release and complete scripts push a token when work becomes ready for a
   * processor or a capped slot frees, so an idle agent costs Redis nothing between wake-ups.
   */
  @Override
  public CompletableFuture<Boolean> awaitWork(Set<String> processors, Duration longest) {
    if (processors.isEmpty()) {
      return WorkQueue.super.awaitWork(processors, longest);
    }
    List<String> keys = new ArrayList<>(processors.size());
    for (String processor : processors) {
      keys.add(wakeUpKey(processor));
    }
    return redisson
        .<String>getBlockingQueue(keys.get(0))
        .pollFromAnyAsync(
            Math.max(1_000, longest.toMillis()),
            TimeUnit.MILLISECONDS,
            keys.subList(1, keys.size()).toArray(String[]::new))
        .toCompletableFuture()
        .thenApply(token -> token != null);
  }

  @Override
  public void passOnWakeUp(Set<String> processors) {
    for (String processor : processors) {
      redisson.<String>getDeque(wakeUpKey(processor)).addAsync("1");
    }
  }

  /** The list idle agents of {@code processor} block on (see lib.lua). */
  String wakeUpKey(String processor) {
    return settings.prefix() + "w:" + processor;
  }

  @Override
  public Set<ShardRef> heartbeat(String agentId, Collection<ShardRef> leases, Duration visibility) {
    if (leases.isEmpty()) {
      return Set.of();
    }
    List<Object> args = new ArrayList<>(4 + leases.size() * 2);
    args.add(Long.toString(clock.millis()));
    args.add(Long.toString(visibility.toMillis()));
    args.add(agentId);
    args.add(Integer.toString(leases.size()));
    for (ShardRef ref : leases) {
      args.add(id(ref.jobId(), ref.idx()));
      args.add(Integer.toString(ref.attempt()));
    }
    List<Object> flat = scripts.run("heartbeat", ReturnType.LIST, args.toArray());
    Set<ShardRef> stop = new HashSet<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      stop.add(ref(String.valueOf(flat.get(i)), Integer.parseInt(String.valueOf(flat.get(i + 1)))));
    }
    return stop;
  }

  @Override
  public boolean complete(ShardRef lease, ShardResult result) {
    return completeAll(List.of(new Completion(lease, result))).get(0);
  }

  @Override
  public List<Boolean> completeAll(List<Completion> completions) {
    if (completions.isEmpty()) {
      return List.of();
    }
    List<Object> args = new ArrayList<>(1 + completions.size() * 3);
    args.add(Integer.toString(completions.size()));
    for (Completion completion : completions) {
      ShardRef ref = completion.lease();
      args.add(id(ref.jobId(), ref.idx()));
      args.add(Integer.toString(ref.attempt()));
      args.add(encodeResult(completion.result()));
    }
    List<Object> flat = scripts.run("complete", ReturnType.LIST, args.toArray());
    List<Boolean> accepted = new ArrayList<>(flat.size());
    for (Object answer : flat) {
      accepted.add(((Number) answer).longValue() == 1L);
    }
    return accepted;
  }

  @Override
  public boolean fail(ShardRef lease, String error, boolean retryable) {
    Long answer =
        scripts.run(
            "fail",
            ReturnType.LONG,
            Long.toString(clock.millis()),
            id(lease.jobId(), lease.idx()),
            Integer.toString(lease.attempt()),
            error == null ? "unknown error" : error,
            retryable ? "1" : "0",
            Long.toString(settings.backoffBase().toMillis()),
            Long.toString(settings.backoffCap().toMillis()));
    return answer == 1L;
  }

  @Override
  public boolean release(ShardRef lease) {
    Long answer =
        scripts.run(
            "release",
            ReturnType.LONG,
            id(lease.jobId(), lease.idx()),
            Integer.toString(lease.attempt()));
    return answer == 1L;
  }

  // ---- scheduler side ----

  /**
   * Enqueues new shards (no attempt recorded yet); see {@link #enqueue(Collection, ToIntFunction)}.
   */
  public OptionalInt enqueue(Collection<ShardTask> tasks) {
    return enqueue(tasks, task -> 0);
  }

  /**
   * Adds shards to their owners' queues; shards already in Redis are left as they are, so this is
   * safe to repeat. {@code recordedAttempt} is the attempt Postgres last recorded for the shard.
   * Answers how many were added, or empty when the epoch key is missing (rebuild first).
   */
  public OptionalInt enqueue(
      Collection<ShardTask> tasks, ToIntFunction<ShardTask> recordedAttempt) {
    int added = 0;
    List<ShardTask> all = List.copyOf(tasks);
    for (int from = 0; from < all.size(); from += ENQUEUE_CHUNK) {
      List<ShardTask> chunk = all.subList(from, Math.min(all.size(), from + ENQUEUE_CHUNK));
      List<Object> args = new ArrayList<>(1 + chunk.size() * 9);
      args.add(Integer.toString(chunk.size()));
      for (ShardTask task : chunk) {
        args.add(id(task.jobId(), task.idx()));
        args.add(task.jobId().toString());
        args.add(Integer.toString(task.idx()));
        args.add(task.ownerId().toString());
        args.add(task.processor());
        args.add(Integer.toString(task.priority()));
        args.add(Integer.toString(Math.max(1, task.maxAttempts())));
        args.add(Integer.toString(recordedAttempt.applyAsInt(task)));
        args.add(ShardTaskJson.write(task));
      }
      Long answer = scripts.run("enqueue", ReturnType.LONG, args.toArray());
      if (answer < 0) {
        return OptionalInt.empty();
      }
      added += answer.intValue();
    }
    return OptionalInt.of(added);
  }

  /** Moves expired leases back to the queue (or the dead letters) and ready backed-off shards. */
  public ReapResult reap(Instant now) {
    List<Object> counts =
        scripts.run(
            "reap",
            ReturnType.LIST,
            Long.toString(now.toEpochMilli()),
            Integer.toString(settings.reapBatch()),
            Long.toString(settings.backoffBase().toMillis()),
            Long.toString(settings.backoffCap().toMillis()));
    return new ReapResult(
        ((Number) counts.get(0)).longValue(),
        ((Number) counts.get(1)).longValue(),
        ((Number) counts.get(2)).longValue());
  }

  /**
   * Ends every lease {@code agentId} holds, once it is known dead: each shard goes back to the
   * front of its queue with its attempt number raised (so the dead agent's late completion is
   * refused), or to the dead letters when its attempts are spent. Answers how many leases it ended.
   */
  public long releaseAgent(String agentId) {
    Long ended = scripts.run("release-agent", ReturnType.LONG, agentId);
    return ended;
  }

  /** Drops a job's waiting shards; its running shards are told to stop by their next heartbeat. */
  public long cancelJob(UUID jobId) {
    Long touched = scripts.run("cancel", ReturnType.LONG, jobId.toString());
    return touched;
  }

  /**
   * The oldest finished attempts not yet acknowledged: whole stream entries until they hold at
   * least {@code max} (one completion call's entry can take the count past it).
   */
  public List<QueueEvent> readEvents(int max) {
    return toEvents(scripts.run("events", ReturnType.LIST, Integer.toString(max), "-"));
  }

  /**
   * Reads, without waiting, the unacknowledged events that came after the entry {@code
   * afterStreamId} (null: from the oldest), as {@link #readEvents} counts them, so a reader can
   * fetch the next batch while it records the previous one.
   */
  public CompletableFuture<List<QueueEvent>> readEventsAfter(String afterStreamId, int max) {
    return scripts
        .<List<Object>>runAsync(
            "events",
            ReturnType.LIST,
            Integer.toString(max),
            afterStreamId == null ? "-" : afterStreamId)
        .thenApply(RedisWorkQueue::toEvents);
  }

  private static List<QueueEvent> toEvents(List<Object> flat) {
    List<QueueEvent> events = new ArrayList<>();
    int i = 0;
    while (i < flat.size()) {
      String streamId = String.valueOf(flat.get(i));
      int fieldCount = ((Number) flat.get(i + 1)).intValue();
      Map<String, String> fields = new java.util.HashMap<>(fieldCount);
      for (int f = 0; f < fieldCount; f += 2) {
        fields.put(String.valueOf(flat.get(i + 2 + f)), String.valueOf(flat.get(i + 3 + f)));
      }
      i += 2 + fieldCount;
      String completions = fields.get("c");
      if (completions != null) {
        for (String completion : completions.split(RECORD_SEPARATOR)) {
          events.add(toCompletion(streamId, completion));
        }
      } else {
        events.add(toEvent(streamId, fields));
      }
    }
    return events;
  }

  /** Removes events once Postgres has recorded them, with the tombstones of their shards. */
  public void acknowledge(Collection<QueueEvent> events) {
    acknowledgeAsync(events).join();
  }

  /** {@link #acknowledge} without waiting. */
  public CompletableFuture<Void> acknowledgeAsync(Collection<QueueEvent> events) {
    if (events.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Set<String> streamIds = new LinkedHashSet<>();
    for (QueueEvent event : events) {
      streamIds.add(event.streamId());
    }
    List<Object> args = new ArrayList<>(1 + streamIds.size() + events.size() * 2);
    args.add(Integer.toString(streamIds.size()));
    args.addAll(streamIds);
    for (QueueEvent event : events) {
      args.add(id(event.jobId(), event.idx()));
      args.add(Integer.toString(event.attempt()));
    }
    return scripts.<Long>runAsync("ack", ReturnType.LONG, args.toArray()).thenApply(n -> null);
  }

  /** Whether the epoch key is gone: Redis restarted empty or was flushed, so rebuild. */
  public boolean epochMissing() {
    return !redisson.getBucket(settings.prefix() + "epoch").isExists();
  }

  /** Sets the epoch if it is missing; answers the epoch in force. */
  public long ensureEpoch(long epoch) {
    Long current = scripts.run("epoch", ReturnType.LONG, Long.toString(epoch));
    return current;
  }

  /** Caps the shards of {@code processor} leased at once; a negative cap removes the cap. */
  public void setConcurrencyCap(String processor, int cap) {
    var caps = redisson.<String, String>getMap(settings.prefix() + "caps");
    if (cap < 0) {
      caps.fastRemove(processor);
    } else {
      caps.fastPut(processor, Integer.toString(cap));
    }
  }

  public QueueStats stats() {
    List<Object> counts = scripts.run("stats", ReturnType.LIST);
    return new QueueStats(
        ((Number) counts.get(0)).longValue(),
        ((Number) counts.get(1)).longValue(),
        ((Number) counts.get(2)).longValue(),
        ((Number) counts.get(3)).longValue());
  }

  /**
   * The backlog of one agent group: shards ready, leased and backing off of the processors in
   * {@code processors} ({@code only == true}) or of every other processor ({@code only == false});
   * unrecorded events are not counted (0).
   */
  public QueueStats stats(Set<String> processors, boolean only) {
    List<Object> args = new ArrayList<>(1 + processors.size());
    args.add(only ? "only" : "except");
    args.addAll(processors);
    List<Object> counts = scripts.run("stats-for", ReturnType.LIST, args.toArray());
    return new QueueStats(
        ((Number) counts.get(0)).longValue(),
        ((Number) counts.get(1)).longValue(),
        ((Number) counts.get(2)).longValue(),
        0);
  }

  // ---- encoding ----

  static String id(UUID jobId, int idx) {
    return jobId + ":" + idx;
  }

  static ShardRef ref(String id, int attempt) {
    int colon = id.lastIndexOf(':');
    return new ShardRef(
        UUID.fromString(id.substring(0, colon)),
        Integer.parseInt(id.substring(colon + 1)),
        attempt);
  }

  /**
   * A completion as the complete script writes it: outputBytes, records, errors, seconds,
   * outputKey, errorKey, newlines, instance type, purchase option, Availability Zone, separated by
   * U+001F (keys may not contain it). Entries written before newlines were counted end after
   * errorKey; entries without a machine after newlines; entries of a machine without a zone after
   * the purchase option.
   */
  private static String encodeResult(ShardResult result) {
    return result.outputBytes()
        + SEPARATOR
        + result.records()
        + SEPARATOR
        + result.errors()
        + SEPARATOR
        + result.busySeconds()
        + SEPARATOR
        + checked(result.outputKey())
        + SEPARATOR
        + checked(result.errorKey())
        + SEPARATOR
        + result.newlines()
        + (result.machine() == null
            ? ""
            : SEPARATOR
                + checked(result.machine().instanceType())
                + SEPARATOR
                + result.machine().purchaseOption().wireName()
                + (result.machine().availabilityZone() == null
                    ? ""
                    : SEPARATOR + checked(result.machine().availabilityZone())));
  }

  /** One completion of a stream entry: id, attempt, then {@link #encodeResult}. */
  private static QueueEvent toCompletion(String streamId, String compact) {
    String[] v = compact.split(SEPARATOR, 12);
    ShardRef ref = ref(v[0], Integer.parseInt(v[1]));
    ShardResult result =
        new ShardResult(
            emptyToNull(v[6]),
            Long.parseLong(v[2]),
            Long.parseLong(v[3]),
            Long.parseLong(v[4]),
            emptyToNull(v[7]),
            Double.parseDouble(v[5]),
            v.length > 8 ? Long.parseLong(v[8]) : -1,
            v.length > 10 ? machine(v[9], v[10], v.length > 11 ? v[11] : null) : null);
    return new QueueEvent(streamId, ref.jobId(), ref.idx(), ref.attempt(), result, null);
  }

  private static QueueEvent toEvent(String streamId, Map<String, String> f) {
    String compact = f.get("d");
    if (compact != null) {
      return toCompletion(streamId, compact);
    }
    ShardRef ref = ref(f.get("id"), Integer.parseInt(f.get("a")));
    if ("done".equals(f.get("t"))) {
      ShardResult result =
          new ShardResult(
              emptyToNull(f.get("k")),
              Long.parseLong(f.get("b")),
              Long.parseLong(f.get("r")),
              Long.parseLong(f.get("e")),
              emptyToNull(f.get("ek")),
              Double.parseDouble(f.get("s")));
      return new QueueEvent(streamId, ref.jobId(), ref.idx(), ref.attempt(), result, null);
    }
    String spent = f.get("sp");
    return new QueueEvent(
        streamId,
        ref.jobId(),
        ref.idx(),
        ref.attempt(),
        null,
        f.get("m"),
        spent == null || spent.isEmpty() ? null : Integer.valueOf(spent));
  }

  /** The machine of a completion; null when what was written is not one (never fails a batch). */
  private static Machine machine(String instanceType, String purchaseOption, String zone) {
    try {
      return new Machine(instanceType, PurchaseOption.parse(purchaseOption), zone);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String checked(String key) {
    if (key != null && (key.contains(SEPARATOR) || key.contains(RECORD_SEPARATOR))) {
      throw new IllegalArgumentException("object keys may not contain U+001E or U+001F: " + key);
    }
    return nullToEmpty(key);
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
