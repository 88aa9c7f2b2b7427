package dev.kiln.bench.inference;

import dev.kiln.client.KilnClient;
import dev.kiln.client.api.FileView;
import dev.kiln.client.api.JobCreateRequest;
import dev.kiln.client.api.JobView;
import dev.kiln.model.JobParams;
import dev.kiln.model.JobState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * One input through the whole platform: upload through the API's presigned URL(s), submit a {@code
 * tf-savedmodel} job, and poll until it ends. The clock runs from the start of the upload to the
 * first poll that sees the job {@code SUCCEEDED}, so planning, the agents' S3 reads and part
 * writes, and assembly are all inside it.
 */
final class PlatformRun {
  private static final Duration POLL = Duration.ofMillis(500);

  private PlatformRun() {}

  /** The figures of one run. */
  record Measurement(
      JobView job, long rows, double uploadSeconds, double jobSeconds, double totalSeconds) {
    double rowsPerSecond() {
      return rows / totalSeconds;
    }
  }

  static Measurement run(
      KilnClient client, Path input, UUID model, long shardBytes, int batchSize, Duration timeout) {
    long started = System.nanoTime();
    FileView file = client.upload(input);
    long uploaded = System.nanoTime();
    JobParams params = new JobParams(shardBytes, null, "csv", batchSize, null, null);
    JobView job =
        client.submit(
            new JobCreateRequest("tf-savedmodel", List.of(file.id()), model, params, 0), null);
    long deadline = uploaded + timeout.toNanos();
    while (!job.state().isTerminal()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("job " + job.id() + " did not end within " + timeout);
      }
      sleep(POLL);
      job = client.job(job.id());
    }
    long finished = System.nanoTime();
    if (job.state() != JobState.SUCCEEDED) {
      throw new IllegalStateException(
          "job " + job.id() + " ended " + job.state() + ": " + job.failureReason());
    }
    return new Measurement(
        job,
        job.progress().records(),
        (uploaded - started) / 1e9,
        (finished - uploaded) / 1e9,
        (finished - started) / 1e9);
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the job", e);
    }
  }
}
