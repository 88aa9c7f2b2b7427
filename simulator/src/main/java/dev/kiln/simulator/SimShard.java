package dev.kiln.simulator;

/** A shard in the simulated queue; its attempt fences late completions. Not thread-safe. */
final class SimShard {
  final SimJob job;
  final double serviceSeconds;
  int attempt;

  SimShard(SimJob job, double serviceSeconds) {
    this.job = job;
    this.serviceSeconds = serviceSeconds;
  }

  String owner() {
    return job.submission.owner();
  }
}
