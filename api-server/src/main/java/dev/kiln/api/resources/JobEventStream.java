package dev.kiln.api.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.auth.KilnAuthenticator;
import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.service.EventStreamSlots;
import dev.kiln.api.service.JobService;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.protocol.news.JobNews;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.jersey.server.ChunkedOutput;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes jobs' server-sent events: each outbox event (id = its outbox id, so a reconnect with
 * {@code Last-Event-ID} resumes) and a {@code progress} event (shards and records) whenever the job
 * changes. Nothing polls: the scheduler announces each committed change on {@link JobNews}, and the
 * API's own changes arrive on the job-changed topic; a stream then reads what is new once. A stream
 * is a Jersey {@link ChunkedOutput}: the request's thread returns at once and a few shared threads
 * write, so no stream holds a thread. A sweep (every {@code credentialCheckEvery} or {@code
 * heartbeatEvery}, the shorter) writes a heartbeat comment to streams quiet for {@code
 * heartbeatEvery}, which also finds the clients that went away, checks that each credential still
 * holds (log-out, password change, disabled account and revoked key end the stream), keeps the
 * stream's slot ({@link EventStreamSlots}) and ends streams older than {@code maxDuration} (the
 * client reconnects). A stream ends when its job is finished. Thread-safe.
 */
public final class JobEventStream implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(JobEventStream.class);

  /** Timings of every stream. */
  public record Timings(
      Duration heartbeatEvery, Duration maxDuration, Duration credentialCheckEvery) {}

  private final JobService jobs;
  private final EventStreamSlots slots;
  private final KilnAuthenticator credentials;
  private final ObjectMapper json;
  private final Timings timings;
  private final Clock clock;
  private final JobNews news;

  /** The API's own changes (cancel, retry, delete), announced by {@code JobReadCache}. */
  private final RTopic apiChanges;

  private final ExecutorService writers;
  private final ScheduledExecutorService sweeper;
  private final Map<UUID, Set<EventStream>> byJob = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private JobNews.Subscription subscription;
  private int apiChangesListener = -1;

  public JobEventStream(
      JobService jobs,
      EventStreamSlots slots,
      KilnAuthenticator credentials,
      ObjectMapper json,
      Timings timings,
      int threads,
      RedissonClient redis,
      Clock clock) {
    this.jobs = jobs;
    this.slots = slots;
    this.credentials = credentials;
    this.json = json;
    this.timings = timings;
    this.clock = clock;
    this.news = new JobNews(redis);
    this.apiChanges = redis.getTopic(RedisKeys.JOBS_CHANGED, StringCodec.INSTANCE);
    this.writers = Executors.newFixedThreadPool(threads, daemon("event-streams"));
    this.sweeper = Executors.newSingleThreadScheduledExecutor(daemon("event-stream-sweep"));
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger named = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name + "-" + named.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Streams open in this process. */
  public int openStreams() {
    return open.get();
  }

  /** Listens for news and starts the sweep. */
  @Override
  public void start() {
    subscription = news.subscribe(this::newsOf, this::newsOfAll);
    apiChangesListener =
        apiChanges.addListener(
            String.class,
            (channel, id) -> {
              try {
                newsOf(UUID.fromString(id));
              } catch (IllegalArgumentException notAnId) {
                LOG.debug("ignoring a malformed job change message '{}'", id);
              }
            });
    long every =
        Math.max(
            100,
            Math.min(
                timings.credentialCheckEvery().toMillis(), timings.heartbeatEvery().toMillis()));
    sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    if (subscription != null) {
      subscription.close();
    }
    if (apiChangesListener >= 0) {
      apiChanges.removeListener(apiChangesListener);
    }
    sweeper.shutdownNow();
    writers.shutdownNow();
  }

  /**
   * Opens the stream of the caller's job after event {@code afterId}: 404 for another's job, 429
   * when the account has all its streams open.
   */
  public ChunkedOutput<String> open(KilnPrincipal principal, UUID jobId, long afterId) {
    jobs.require(principal.accountId(), jobId);
    EventStreamSlots.Slot slot = slots.acquire(principal.accountId());
    ChunkedOutput<String> output = new ChunkedOutput<>(String.class);
    EventStream stream =
        new EventStream(
            new EventStream.Context(jobs, slots, credentials, json, timings, clock, this::closed),
            principal,
            jobId,
            afterId,
            slot,
            output);
    open.incrementAndGet();
    // Listen before the first read, so no change between the two is missed.
    byJob.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(stream);
    schedule(stream);
    return output;
  }

  private void newsOf(UUID jobId) {
    Set<EventStream> streams = byJob.get(jobId);
    if (streams != null) {
      streams.forEach(this::schedule);
    }
  }

  /** After a lost subscription: any stream may have missed news. */
  private void newsOfAll() {
    byJob.values().forEach(streams -> streams.forEach(this::schedule));
  }

  private void schedule(EventStream stream) {
    if (stream.markNewsPending()) {
      try {
        writers.execute(stream::writeNews);
      } catch (RejectedExecutionException stopping) {
        stream.abandon();
      }
    }
  }

  private void sweep() {
    try {
      for (Set<EventStream> streams : byJob.values()) {
        for (EventStream stream : streams) {
          writers.execute(stream::sweep);
        }
      }
    } catch (RejectedExecutionException stopping) {
      // Shutting down.
    } catch (RuntimeException e) {
      LOG.warn("Could not sweep the event streams; the next sweep tries again", e);
    }
  }

  private void closed(EventStream stream) {
    byJob.computeIfPresent(
        stream.jobId(),
        (id, streams) -> {
          streams.remove(stream);
          return streams.isEmpty() ? null : streams;
        });
    open.decrementAndGet();
  }
}
