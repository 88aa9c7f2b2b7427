package dev.kiln.api.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.auth.KilnAuthenticator;
import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.service.EventStreamSlots;
import dev.kiln.api.service.JobService;
import dev.kiln.client.api.JobEvent;
import dev.kiln.client.api.JobView;
import dev.kiln.protocol.LogFields;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.glassfish.jersey.server.ChunkedOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One open event stream of one job: writes what is new when told there is news, and a heartbeat,
 * credential check and slot refresh when swept. Its writes are serialised on the stream; called
 * from {@link JobEventStream}'s shared threads. Thread-safe.
 */
final class EventStream {
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

  /** What every stream of a process shares. */
  record Context(
      JobService jobs,
      EventStreamSlots slots,
      KilnAuthenticator credentials,
      ObjectMapper json,
      JobEventStream.Timings timings,
      Clock clock,
      Consumer<EventStream> onClosed) {}

  private final Context context;
  private final KilnPrincipal principal;
  private final UUID jobId;
  private final EventStreamSlots.Slot slot;
  private final ChunkedOutput<String> output;
  private final Instant deadline;
  private final AtomicBoolean newsPending = new AtomicBoolean();
  private long last;
  private String lastProgress;
  private String lastState;
  private Instant lastWrite;
  private Instant nextCredentialCheck;
  private Instant nextSlotRefresh;
  private boolean started;
  private boolean finished;

  EventStream(
      Context context,
      KilnPrincipal principal,
      UUID jobId,
      long afterId,
      EventStreamSlots.Slot slot,
      ChunkedOutput<String> output) {
    this.context = context;
    this.principal = principal;
    this.jobId = jobId;
    this.last = afterId;
    this.slot = slot;
    this.output = output;
    Instant now = context.clock().instant();
    this.deadline = now.plus(context.timings().maxDuration());
    this.lastWrite = now;
    this.nextCredentialCheck = now.plus(context.timings().credentialCheckEvery());
    this.nextSlotRefresh = now.plusSeconds(5);
  }

  UUID jobId() {
    return jobId;
  }

  /** Answers true when the caller must schedule {@link #writeNews}: none is pending yet. */
  boolean markNewsPending() {
    return newsPending.compareAndSet(false, true);
  }

  /** Writes the events after the last one sent and the progress if it changed. */
  void writeNews() {
    newsPending.set(false);
    synchronized (this) {
      if (finished) {
        return;
      }
      logContext();
      try {
        if (!started) {
          write("retry: 2000\n\n");
          started = true;
        }
        for (JobEvent event : context.jobs().eventsAfter(principal.accountId(), jobId, last)) {
          write(
              "id: "
                  + event.id()
                  + "\nevent: "
                  + event.type()
                  + "\ndata: "
                  + context.json().writeValueAsString(event)
                  + "\n\n");
          last = event.id();
        }
        JobView job = context.jobs().getFresh(principal.accountId(), jobId);
        lastState = job.state().name();
        String progress = context.json().writeValueAsString(job);
        if (!progress.equals(lastProgress)) {
          write("event: progress\ndata: " + progress + "\n\n");
          lastProgress = progress;
        }
        if (job.state().isTerminal()) {
          end(Map.of("state", lastState));
        }
      } catch (IOException | RuntimeException e) {
        gone(e);
      } finally {
        MDC.clear();
      }
    }
  }

  private void logContext() {
    MDC.put(LogFields.ACCOUNT, principal.accountId().toString());
    MDC.put(LogFields.JOB, jobId.toString());
  }

  /**
   * The periodic visit: ends the stream when its credential no longer holds or its time is up, else
   * writes a heartbeat when it was quiet and keeps its slot.
   */
  synchronized void sweep() {
    if (finished) {
      return;
    }
    logContext();
    try {
      if (output.isClosed()) {
        finish();
        return;
      }
      Instant now = context.clock().instant();
      if (!now.isBefore(nextCredentialCheck)) {
        if (!context.credentials().stillValid(principal)) {
          end(
              Map.of(
                  "reason",
                  "credentials",
                  "detail",
                  "Your sign-in ended (logged out, password changed, account disabled or API key"
                      + " revoked); sign in again to follow the job."));
          return;
        }
        nextCredentialCheck = now.plus(context.timings().credentialCheckEvery());
      }
      if (now.isAfter(deadline)) {
        end(lastState == null ? Map.of() : Map.of("state", lastState));
        return;
      }
      if (started && !now.isBefore(lastWrite.plus(context.timings().heartbeatEvery()))) {
        write(": keep-alive\n\n");
      }
      if (!now.isBefore(nextSlotRefresh)) {
        context.slots().refresh(slot);
        nextSlotRefresh = now.plusSeconds(5);
      }
    } catch (IOException | RuntimeException e) {
      gone(e);
    } finally {
      MDC.clear();
    }
  }

  /** Ends the stream without a word (the process is stopping). */
  synchronized void abandon() {
    finish();
  }

  private void write(String chunk) throws IOException {
    output.write(chunk);
    lastWrite = context.clock().instant();
  }

  private void gone(Exception e) {
    // The client went away, or the job or the database did: the client reconnects.
    LOG.debug("event stream of job {} ended: {}", jobId, e.toString());
    finish();
  }

  private void end(Map<String, String> data) throws IOException {
    try {
      write("event: end\ndata: " + context.json().writeValueAsString(data) + "\n\n");
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
      context.slots().release(slot);
    } catch (RuntimeException e) {
      LOG.warn(
          "Could not give back the event stream slot of account {}; it lapses by itself",
          slot.accountId(),
          e);
    } finally {
      context.onClosed().accept(this);
    }
  }
}
