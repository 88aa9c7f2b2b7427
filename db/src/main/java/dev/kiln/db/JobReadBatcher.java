package dev.kiln.db;

import dev.kiln.db.JobReads.JobWithInputs;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Job reads from many request threads folded into few database round trips. At most {@code
 * maxInFlight} reads run at once; a request that arrives while they run waits, and the next read
 * takes every waiting request (up to {@code maxBatch}) in one statement. A lone request runs at
 * once, so at a low rate nothing waits; under load a round trip, PostgreSQL's per-statement work
 * and the driver's per-execute work are shared by a batch, which is most of what a job poll costs.
 *
 * <p>The read that leads a batch runs on its own request thread and, when it is done, hands the
 * lead to the oldest waiter, which reads the next batch. A failed read fails every request in its
 * batch. Thread-safe.
 */
public final class JobReadBatcher {
  private final DataSource dataSource;
  private final int maxInFlight;
  private final int maxBatch;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private int inFlight;
  private long reads;
  private long requests;

  public JobReadBatcher(DataSource dataSource, int maxInFlight, int maxBatch) {
    if (maxInFlight < 1 || maxBatch < 1) {
      throw new IllegalArgumentException(
          "a job read batcher needs at least one read in flight and one job per batch, not "
              + maxInFlight
              + " and "
              + maxBatch);
    }
    this.dataSource = dataSource;
    this.maxInFlight = maxInFlight;
    this.maxBatch = maxBatch;
  }

  /** The job with its inputs (without their CSV headers), whoever owns it. */
  public Optional<JobWithInputs> find(UUID id) {
    Pending self = new Pending(id, Thread.currentThread());
    if (!enter(self)) {
      self.awaitTurn();
      if (self.state == Pending.DONE) {
        return self.outcome();
      }
    }
    List<Pending> batch = takeBatch(self);
    try {
      read(batch);
    } finally {
      handOff();
    }
    return self.outcome();
  }

  /** The owner's job with its inputs, or empty when it does not exist or is someone else's. */
  public Optional<JobWithInputs> findForOwner(UUID id, UUID ownerId) {
    return find(id).filter(found -> found.isOwnedBy(ownerId));
  }

  /** Database reads so far, and the requests they answered. */
  public Counts counts() {
    lock.lock();
    try {
      return new Counts(reads, requests);
    } finally {
      lock.unlock();
    }
  }

  /** Requests waiting for a read now. */
  int waiting() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  /** How many database reads answered how many requests. */
  public record Counts(long reads, long requests) {}

  /** True when {@code self} may read now; otherwise it is queued. */
  private boolean enter(Pending self) {
    lock.lock();
    try {
      if (inFlight < maxInFlight) {
        inFlight++;
        return true;
      }
      waiting.add(self);
      return false;
    } finally {
      lock.unlock();
    }
  }

  private List<Pending> takeBatch(Pending leader) {
    lock.lock();
    try {
      List<Pending> batch = new ArrayList<>(Math.min(maxBatch, waiting.size() + 1));
      batch.add(leader);
      while (batch.size() < maxBatch && !waiting.isEmpty()) {
        batch.add(waiting.poll());
      }
      reads++;
      requests += batch.size();
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Gives this read's place to the oldest waiter, or frees it. */
  private void handOff() {
    Pending next;
    lock.lock();
    try {
      next = waiting.poll();
      if (next == null) {
        inFlight--;
      }
    } finally {
      lock.unlock();
    }
    if (next != null) {
      next.lead();
    }
  }

  private void read(List<Pending> batch) {
    Map<UUID, JobWithInputs> found = Map.of();
    Throwable failure = null;
    try {
      found = JobReads.findAllWithInputs(dataSource, ids(batch));
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    for (Pending pending : batch) {
      if (failure != null) {
        pending.fail(failure);
      } else {
        pending.complete(found.get(pending.id));
      }
    }
  }

  private static List<UUID> ids(List<Pending> batch) {
    List<UUID> ids = new ArrayList<>(batch.size());
    for (Pending pending : batch) {
      ids.add(pending.id);
    }
    return ids;
  }

  /** One request's read: waiting, asked to lead a batch, or done with a result or a failure. */
  private static final class Pending {
    static final int WAITING = 0;
    static final int LEAD = 1;
    static final int DONE = 2;

    final UUID id;
    final Thread thread;
    volatile int state = WAITING;
    private JobWithInputs result;
    private Throwable failure;

    Pending(UUID id, Thread thread) {
      this.id = id;
      this.thread = thread;
    }

    /** Parks until another read completes this one or hands it the lead, keeping interrupts. */
    void awaitTurn() {
      boolean interrupted = false;
      while (state == WAITING) {
        LockSupport.park(this);
        interrupted |= Thread.interrupted();
      }
      if (interrupted) {
        thread.interrupt();
      }
    }

    void lead() {
      state = LEAD;
      LockSupport.unpark(thread);
    }

    void complete(JobWithInputs found) {
      result = found;
      finish();
    }

    void fail(Throwable e) {
      failure = e;
      finish();
    }

    private void finish() {
      state = DONE;
      if (thread != Thread.currentThread()) {
        LockSupport.unpark(thread);
      }
    }

    Optional<JobWithInputs> outcome() {
      if (failure != null) {
        throw new IllegalStateException("could not read job " + id, failure);
      }
      return Optional.ofNullable(result);
    }
  }
}
