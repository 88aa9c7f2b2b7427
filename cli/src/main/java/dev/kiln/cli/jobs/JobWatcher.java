package dev.kiln.cli.jobs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.CliException;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.cli.common.Failures;
import dev.kiln.client.KilnClient;
import dev.kiln.client.ServerSentEvent;
import dev.kiln.client.api.JobView;
import dev.kiln.model.JobState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.UUID;

/**
 * Follows a job on its event stream until it ends, reconnecting (from the last event) when the
 * stream closes early or the connection drops, and draws its progress on stderr: a live line on a
 * terminal, a line per change of state otherwise. Not thread-safe.
 */
final class JobWatcher {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final int RECONNECTS_WITHOUT_NEWS = 5;

  private final CliContext context;
  private final KilnClient client;
  private JobView latest;
  private JobState printedState;

  JobWatcher(CliContext context, KilnClient client) {
    this.context = context;
    this.client = client;
  }

  /** Follows the job to its end and answers its final view. */
  JobView watch(UUID jobId) {
    latest = client.job(jobId);
    String lastEventId = null;
    int failures = 0;
    while (!latest.state().isTerminal()) {
      try {
        lastEventId = client.followEvents(jobId, lastEventId, this::onEvent);
        failures = 0;
      } catch (UncheckedIOException e) {
        failures++;
        if (failures >= RECONNECTS_WITHOUT_NEWS) {
          throw e;
        }
        context.err().println("\nkiln: " + Failures.of(e).message() + "; reconnecting");
        pause(failures);
      }
      if (!latest.state().isTerminal()) {
        latest = client.job(jobId);
      }
    }
    latest = client.job(jobId);
    draw(latest);
    if (context.stderrTerminal()) {
      context.err().println();
    }
    context.err().flush();
    return latest;
  }

  private void onEvent(ServerSentEvent event) {
    if (!event.event().equals("progress")) {
      return;
    }
    try {
      latest = JSON.readValue(event.data(), JobView.class);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.GENERAL, "the event stream sent a progress event this kiln cannot read");
    }
    draw(latest);
  }

  private void draw(JobView job) {
    PrintWriter err = context.err();
    JobView.Progress progress = job.progress();
    String line =
        String.format(
            Locale.ROOT,
            "%s %s %d/%d shards (%.0f%%), %d records, %d errors",
            job.id(),
            job.state(),
            progress.shardsDone(),
            progress.shardsTotal(),
            progress.percent(),
            progress.records(),
            progress.errors());
    if (context.stderrTerminal()) {
      err.print("\r" + line + "  ");
      err.flush();
    } else if (job.state() != printedState) {
      err.println(line);
      err.flush();
    }
    printedState = job.state();
  }

  /** The exit code for how the job ended. */
  static int exitCodeOf(JobView job) {
    return switch (job.state()) {
      case SUCCEEDED -> ExitCodes.OK;
      case FAILED -> ExitCodes.JOB_FAILED;
      case CANCELLED -> ExitCodes.JOB_CANCELLED;
      default -> ExitCodes.GENERAL;
    };
  }

  private static void pause(int failures) {
    try {
      Thread.sleep(Math.min(10_000, 500L << failures));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.GENERAL, "interrupted");
    }
  }
}
