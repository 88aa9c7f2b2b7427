package dev.kiln.agent;

import dev.kiln.protocol.progress.RunningShards;
import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.queue.ShardRef;
import dev.kiln.protocol.queue.ShardTask;

/** One leased shard inside the agent. Its stop flag is set from other threads; thread-safe. */
final class ShardJob {
  /** Why a shard must stop before it is done. */
  enum Stop {
    /** The queue cancelled it or gave its lease away: report nothing, give the lease back. */
    CANCEL,
    /** The agent drains: give it back without spending an attempt. */
    RELEASE
  }

  private final Lease lease;
  private final long leasedAtNanos;
  private volatile Stop stop;
  private volatile RecordBatches batches;
  private volatile int batchSize;
  private volatile long recordsRead;
  private volatile double fractionRead;

  ShardJob(Lease lease) {
    this.lease = lease;
    this.leasedAtNanos = System.nanoTime();
  }

  /** When this agent took the lease ({@link System#nanoTime()}). */
  long leasedAtNanos() {
    return leasedAtNanos;
  }

  ShardRef ref() {
    return lease.ref();
  }

  ShardTask task() {
    return lease.task();
  }

  int attempt() {
    return lease.attempt();
  }

  Stop stop() {
    return stop;
  }

  /** Asks the shard to stop; the first reason wins. */
  synchronized void stop(Stop reason) {
    if (stop == null) {
      stop = reason;
    }
  }

  RecordBatches batches() {
    return batches;
  }

  void batches(RecordBatches prefetched, int size) {
    this.batches = prefetched;
    this.batchSize = size;
  }

  int batchSize() {
    return batchSize;
  }

  /** Notes how far the shard has got: records read and the share of its bytes behind them. */
  void progress(long records, double fraction) {
    this.fractionRead = fraction;
    this.recordsRead = records;
  }

  long recordsRead() {
    return recordsRead;
  }

  /** How far the shard has got, for its owner's live progress. */
  RunningShards.Report report() {
    return new RunningShards.Report(ref().jobId(), ref().idx(), recordsRead, fractionRead);
  }
}
