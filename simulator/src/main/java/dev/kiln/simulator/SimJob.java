package dev.kiln.simulator;

/** A submitted job while it runs: when it started and finished. Not thread-safe. */
final class SimJob {
  final Submission submission;
  final int shards;
  private int remaining;
  private double firstStart = Double.NaN;
  private double done = Double.NaN;

  SimJob(Submission submission, int shards) {
    this.submission = submission;
    this.shards = shards;
    this.remaining = shards;
  }

  void shardStarted(double now) {
    if (Double.isNaN(firstStart)) {
      firstStart = now;
    }
  }

  void shardDone(double now) {
    remaining--;
    if (remaining == 0) {
      done = now;
    }
  }

  boolean isDone() {
    return remaining == 0;
  }

  /** Seconds from submission to its first shard's start, NaN when none started. */
  double waitToFirstShard() {
    return firstStart - submission.atSeconds();
  }

  /** Seconds from submission to its last shard's end, NaN while running. */
  double timeToCompletion() {
    return done - submission.atSeconds();
  }

  double doneAt() {
    return done;
  }
}
