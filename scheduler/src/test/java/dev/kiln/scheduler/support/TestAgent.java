package dev.kiln.scheduler.support;

import dev.kiln.model.fleet.Machine;
import dev.kiln.model.fleet.PurchaseOption;
import dev.kiln.model.plan.LineRecord;
import dev.kiln.model.plan.RecordReader;
import dev.kiln.model.plan.RecordSyntax;
import dev.kiln.protocol.queue.Completion;
import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.queue.ShardRef;
import dev.kiln.protocol.queue.ShardResult;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.protocol.queue.WorkQueue;
import dev.kiln.protocol.storage.ObjectKeys;
import dev.kiln.protocol.storage.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A small agent over the real work queue and object store: leases shards of the {@code upper}
 * processor, upper-cases every record into its part, heartbeats, completes. {@link #kill()} stops
 * it dead (no release, no completion, no more heartbeats), like a crashed machine.
 */
public final class TestAgent implements AutoCloseable {
  public static final String PROCESSOR = "upper";

  /** The machine every test agent says it runs on. */
  public static final Machine MACHINE =
      new Machine("g4dn.xlarge", PurchaseOption.SPOT, "us-east-1a");

  private final String id;
  private final WorkQueue queue;
  private final ObjectStore store;
  private final int batch;
  private final Duration visibility;
  private final Consumer<Lease> onLease;
  private final Set<ShardRef> current = ConcurrentHashMap.newKeySet();
  private final Set<ShardRef> stop = ConcurrentHashMap.newKeySet();
  private final AtomicLong completed = new AtomicLong();
  private final Thread worker;
  private final Thread heart;
  private volatile boolean running = true;
  private volatile boolean killed;

  public TestAgent(
      String id,
      WorkQueue queue,
      ObjectStore store,
      int batch,
      Duration visibility,
      Duration heartbeat,
      Consumer<Lease> onLease) {
    this.id = id;
    this.queue = queue;
    this.store = store;
    this.batch = batch;
    this.visibility = visibility;
    this.onLease = onLease;
    this.worker = new Thread(this::work, "agent-" + id);
    this.heart =
        new Thread(
            () -> {
              while (running) {
                try {
                  Thread.sleep(heartbeat.toMillis());
                  if (!current.isEmpty() && running) {
                    stop.addAll(queue.heartbeat(id, List.copyOf(current), visibility));
                  }
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  // Redis may be away for a moment; the next beat tries again.
                }
              }
            },
            "heart-" + id);
    worker.setDaemon(true);
    heart.setDaemon(true);
  }

  public TestAgent start() {
    worker.start();
    heart.start();
    return this;
  }

  public String id() {
    return id;
  }

  public long completed() {
    return completed.get();
  }

  /** The leases being worked on now. */
  public Set<ShardRef> current() {
    return Set.copyOf(current);
  }

  /** Stops at once, leaving its leases to expire. */
  public void kill() {
    killed = true;
    running = false;
    worker.interrupt();
    heart.interrupt();
  }

  private void work() {
    while (running) {
      try {
        List<Lease> leases = queue.lease(id, Set.of(PROCESSOR), batch, visibility);
        if (leases.isEmpty()) {
          Thread.sleep(10);
          continue;
        }
        leases.forEach(l -> current.add(l.ref()));
        leases.forEach(onLease);
        List<Completion> done = new ArrayList<>();
        for (Lease lease : leases) {
          if (killed) {
            return;
          }
          if (stop.remove(lease.ref())) {
            queue.release(lease.ref());
            current.remove(lease.ref());
            continue;
          }
          done.add(new Completion(lease.ref(), Retry.s3(() -> process(lease))));
        }
        if (killed) {
          return;
        }
        queue.completeAll(done);
        completed.addAndGet(done.size());
        leases.forEach(l -> current.remove(l.ref()));
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (killed) {
          return;
        }
        current.clear();
        try {
          Thread.sleep(50);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private ShardResult process(Lease lease) {
    try {
      return processOnce(lease);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private ShardResult processOnce(Lease lease) throws IOException {
    ShardTask task = lease.task();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long records = 0;
    long newlines = 0;
    if (task.objectSize() > 0 && task.start() < task.objectSize()) {
      long to = Math.min(task.objectSize(), task.end() + 4_096);
      RecordSyntax syntax = task.header() != null ? RecordSyntax.CSV : RecordSyntax.LINES;
      try (RecordReader reader =
          new RecordReader(
              from -> store.openRange(task.inputBucket(), task.inputKey(), from, to),
              task.start(),
              task.end(),
              syntax,
              task.header() != null,
              4_000)) {
        for (LineRecord record = reader.next(); record != null; record = reader.next()) {
          out.write(record.text().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
          out.write('\n');
          records++;
        }
        newlines = reader.newlinesInRange();
      }
    }
    String key = ObjectKeys.part(task.ownerId(), task.jobId(), task.idx(), lease.attempt());
    store.put(task.resultsBucket(), key, out.toByteArray());
    return new ShardResult(key, out.size(), records, 0, null, 0.01, newlines, MACHINE);
  }

  @Override
  public void close() {
    running = false;
    worker.interrupt();
    heart.interrupt();
    try {
      worker.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
