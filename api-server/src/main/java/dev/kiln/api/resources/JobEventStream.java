package dev.kiln.api.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.auth.KilnAuthenticator;
import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.service.EventStreamSlots;
import dev.kiln.api.service.JobService;
import dev.kiln.client.api.JobEvent;
import dev.kiln.client.api.JobView;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.jersey.server.ChunkedOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes jobs' server-sent events: each outbox event (id = its outbox id, so a reconnect with
 * {@code Last-Event-ID} resumes) and a {@code progress} event whenever the job's counters change. A
 * stream is a Jersey {@link ChunkedOutput}: the request's thread returns at once, and a few shared
 * threads visit every open stream once per {@code pollEvery}, so no stream holds a thread. Each
 * stream takes one of its account's slots ({@link EventStreamSlots}), checks every {@code
 * credentialCheckEvery} that its credential still holds (log-out, password change, disabled
 * account, revoked key end it), and ends when the job is finished, after {@code maxDuration} (the
 * client reconnects) or when the client goes away. Thread-safe.
 */
public final class JobEventStream implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(JobEventStream.class);

  /** Timings of every stream. */
  public record Timings(Duration pollEvery, Duration maxDuration, Duration credentialCheckEvery) {}

  private final JobService jobs;
  private final EventStreamSlots slots;
  private final KilnAuthenticator credentials;
  private final ObjectMapper json;
  private final Timings timings;
  private final Clock clock;
  private final ScheduledExecutorService ticks;
  private final AtomicInteger open = new AtomicInteger();

  public JobEventStream(
      JobService jobs,
      EventStreamSlots slots,
      KilnAuthenticator credentials,
      ObjectMapper json,
      Timings timings,
      int threads,
      Clock clock) {
    this.jobs = jobs;
    this.slots = slots;
    this.credentials = credentials;
    this.json = json;
    this.timings = timings;
    this.clock = clock;
    AtomicInteger named = new AtomicInteger();
    this.ticks =
        Executors.newScheduledThreadPool(
            threads,
            task -> {
              Thread thread = new Thread(task, "event-streams-" + named.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Streams open in this process. */
  public int openStreams() {
    return open.get();
  }

  /**
   * Opens the stream of the caller's job after event {@code afterId}: 404 for another's job, 429
   * when the account has all its streams open.
   */
  public ChunkedOutput<String> open(KilnPrincipal principal, UUID jobId, long afterId) {
    jobs.require(principal.accountId(), jobId);
    EventStreamSlots.Slot slot = slots.acquire(principal.accountId());
    ChunkedOutput<String> output = new ChunkedOutput<>(String.class);
    Stream stream = new Stream(principal, jobId, afterId, slot, output);
    open.incrementAndGet();
    ticks.execute(stream::tick);
    return output;
  }

  @Override
  public void stop() {
    ticks.shutdownNow();
  }

  /** One open stream; visited by one tick at a time. */
  private final class Stream {
    private final KilnPrincipal principal;
    private final UUID jobId;
    private final EventStreamSlots.Slot slot;
    private final ChunkedOutput<String> output;
    private final Instant deadline;
    private long last;
    private String lastProgress;
    private Instant nextCredentialCheck;
    private Instant nextRefresh;
    private boolean started;
    private boolean finished;

    Stream(
        KilnPrincipal principal,
        UUID jobId,
        long afterId,
        EventStreamSlots.Slot slot,
        ChunkedOutput<String> output) {
      this.principal = principal;
      this.jobId = jobId;
      this.last = afterId;
      this.slot = slot;
      this.output = output;
      Instant now = clock.instant();
      this.deadline = now.plus(timings.maxDuration());
      this.nextCredentialCheck = now.plus(timings.credentialCheckEvery());
      this.nextRefresh = now.plus(Duration.ofSeconds(5));
    }

    void tick() {
      try {
        if (output.isClosed()) {
          finish();
          return;
        }
        if (!started) {
          output.write("retry: 2000\n\n");
          started = true;
        }
        Instant now = clock.instant();
        if (!now.isBefore(nextCredentialCheck)) {
          if (!credentials.stillValid(principal)) {
            end(
                Map.of(
                    "reason",
                    "credentials",
                    "detail",
                    "Your sign-in ended (logged out, password changed, account disabled or API key"
                        + " revoked); sign in again to follow the job."));
            return;
          }
          nextCredentialCheck = now.plus(timings.credentialCheckEvery());
        }
        if (writeNews()) {
          return;
        }
        if (!now.isBefore(nextRefresh)) {
          slots.refresh(slot);
          nextRefresh = now.plus(Duration.ofSeconds(5));
        }
        ticks.schedule(this::tick, timings.pollEvery().toMillis(), TimeUnit.MILLISECONDS);
      } catch (IOException | RuntimeException e) {
        // The client went away, or the job or the database did: the client reconnects.
        LOG.debug("event stream of job {} ended: {}", jobId, e.toString());
        finish();
      }
    }

    /** Writes new events and progress; answers true when the stream ended. */
    private boolean writeNews() throws IOException {
      for (JobEvent event : jobs.eventsAfter(principal.accountId(), jobId, last)) {
        output.write(
            "id: "
                + event.id()
                + "\nevent: "
                + event.type()
                + "\ndata: "
                + json.writeValueAsString(event)
                + "\n\n");
        last = event.id();
      }
      JobView job = jobs.get(principal.accountId(), jobId);
      String progress = json.writeValueAsString(job);
      if (!progress.equals(lastProgress)) {
        output.write("event: progress\ndata: " + progress + "\n\n");
        lastProgress = progress;
      } else {
        output.write(": keep-alive\n\n");
      }
      if (job.state().isTerminal() || clock.instant().isAfter(deadline)) {
        end(Map.of("state", job.state().name()));
        return true;
      }
      return false;
    }

    private void end(Map<String, String> data) throws IOException {
      try {
        output.write("event: end\ndata: " + json.writeValueAsString(data) + "\n\n");
      } finally {
        finish();
      }
    }

    private void finish() {
      if (finished) {
        return;
      }
      finished = true;
      try {
        output.close();
      } catch (IOException | RuntimeException e) {
        // Already closed by the client.
      }
      try {
        slots.release(slot);
      } catch (RuntimeException e) {
        LOG.warn(
            "Could not give back the event stream slot of account {}; it lapses by itself",
            slot.accountId(),
            e);
      } finally {
        open.decrementAndGet();
      }
    }
  }
}
