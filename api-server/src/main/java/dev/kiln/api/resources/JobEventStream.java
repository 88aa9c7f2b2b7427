package dev.kiln.api.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.service.JobService;
import dev.kiln.client.api.JobEvent;
import dev.kiln.client.api.JobView;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Writes a job's server-sent events: each outbox event (id = its outbox id, so a reconnect with
 * {@code Last-Event-ID} resumes) and a {@code progress} event whenever the job's counters change.
 * Ends when the job is finished or after {@code maxDuration} (the client reconnects). Thread-safe.
 */
public final class JobEventStream {
  private final JobService jobs;
  private final ObjectMapper json;
  private final Duration pollEvery;
  private final Duration maxDuration;

  public JobEventStream(
      JobService jobs, ObjectMapper json, Duration pollEvery, Duration maxDuration) {
    this.jobs = jobs;
    this.json = json;
    this.pollEvery = pollEvery;
    this.maxDuration = maxDuration;
  }

  public StreamingOutput stream(UUID ownerId, UUID jobId, long afterId) {
    return output -> {
      try {
        run(output, ownerId, jobId, afterId);
      } catch (org.eclipse.jetty.io.EofException clientLeft) {
        // The client closed the stream; it reconnects with Last-Event-ID when it wants more.
      }
    };
  }

  private void run(OutputStream output, UUID ownerId, UUID jobId, long afterId) throws IOException {
    long deadline = System.nanoTime() + maxDuration.toNanos();
    long last = afterId;
    String lastProgress = null;
    write(output, "retry: 2000\n\n");
    while (true) {
      List<JobEvent> events = jobs.eventsAfter(ownerId, jobId, last);
      for (JobEvent event : events) {
        write(
            output,
            "id: "
                + event.id()
                + "\nevent: "
                + event.type()
                + "\ndata: "
                + json.writeValueAsString(event)
                + "\n\n");
        last = event.id();
      }
      JobView job = jobs.get(ownerId, jobId);
      String progress = json.writeValueAsString(job);
      if (!progress.equals(lastProgress)) {
        write(output, "event: progress\ndata: " + progress + "\n\n");
        lastProgress = progress;
      } else {
        write(output, ": keep-alive\n\n");
      }
      if (job.state().isTerminal() || System.nanoTime() > deadline) {
        write(output, "event: end\ndata: {\"state\":\"" + job.state() + "\"}\n\n");
        return;
      }
      try {
        Thread.sleep(pollEvery.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void write(OutputStream output, String text) throws IOException {
    output.write(text.getBytes(StandardCharsets.UTF_8));
    output.flush();
  }
}
