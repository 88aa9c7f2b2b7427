package dev.kiln.agent;

import dev.kiln.model.plan.ByteSource;
import dev.kiln.model.plan.LineRecord;
import dev.kiln.model.plan.RecordReader;
import dev.kiln.model.plan.RecordSource;
import dev.kiln.model.plan.RecordSyntax;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The records of one shard in batches, read ahead on an I/O thread so the processor never waits on
 * the network while there is input to compute on. At most {@code depth} batches are held, so the
 * memory of a shard's input is bounded by {@code depth} batches of at most {@code batchChars +
 * maxRecordBytes} characters however big the shard is (plus the one batch being filled). {@link
 * #next()} is for one consumer thread; {@link #close()} may come from any thread.
 */
public final class RecordBatches implements AutoCloseable {
  /** A batch and the 1-based position within the shard of its first record. */
  public record Batch(List<LineRecord> records, long firstRecord) {}

  private sealed interface Item permits Data, End, Failure {}

  private record Data(Batch batch) implements Item {}

  private record End(long newlines) implements Item {}

  private record Failure(IOException error) implements Item {}

  /** Opens the reader of a shard's records, on the reading thread. */
  @FunctionalInterface
  public interface Opener {
    RecordSource open() throws IOException;
  }

  private final BlockingQueue<Item> queue;
  private final Opener opener;
  private final int batchSize;
  private final long batchChars;
  private volatile boolean closed;
  private boolean ended;
  private long newlinesInRange = -1;

  /**
   * Starts reading at once on {@code io}. A batch ends at {@code batchSize} records or once its
   * text reaches {@code batchChars} characters, whichever comes first. The source is opened on
   * {@code io} (see {@link RecordReader} for the offsets it reads).
   */
  public RecordBatches(
      ByteSource source,
      long start,
      long end,
      RecordSyntax syntax,
      boolean skipHeader,
      int maxRecordBytes,
      int batchSize,
      long batchChars,
      int depth,
      Executor io) {
    this(
        () -> new RecordReader(source, start, end, syntax, skipHeader, maxRecordBytes),
        batchSize,
        batchChars,
        depth,
        io);
  }

  /**
   * Starts reading at once on {@code io} the records of the source {@code opener} opens there (the
   * files of an archive, say), batched as by the other constructor; a batch's size counts a file's
   * bytes as well as its name.
   */
  public RecordBatches(Opener opener, int batchSize, long batchChars, int depth, Executor io) {
    this.opener = opener;
    this.batchSize = batchSize;
    this.batchChars = batchChars;
    this.queue = new ArrayBlockingQueue<>(Math.max(1, depth));
    io.execute(this::readAll);
  }

  private void readAll() {
    long count = 0;
    try (RecordSource reader = opener.open()) {
      while (!closed) {
        List<LineRecord> records = new ArrayList<>(Math.min(batchSize, 4096));
        long chars = 0;
        LineRecord record = null;
        while (records.size() < batchSize
            && chars < batchChars
            && (record = reader.next()) != null) {
          records.add(record);
          chars += record.weight();
        }
        if (!records.isEmpty()) {
          put(new Data(new Batch(records, count + 1)));
          count += records.size();
        }
        if (record == null) {
          put(new End(reader.newlinesInRange()));
          return;
        }
      }
    } catch (IOException e) {
      putQuietly(new Failure(e));
    } catch (RuntimeException e) {
      putQuietly(new Failure(new IOException("reading the input failed: " + e, e)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void put(Item item) throws InterruptedException {
    while (!closed) {
      if (queue.offer(item, 200, TimeUnit.MILLISECONDS)) {
        return;
      }
    }
  }

  private void putQuietly(Item item) {
    try {
      put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The next batch, or {@code null} after the last one.
   *
   * @throws IOException when reading failed (a broken connection, an over-long record)
   */
  public Batch next() throws IOException {
    if (ended) {
      return null;
    }
    Item item;
    try {
      item = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for input");
    }
    if (item instanceof Data data) {
      return data.batch();
    }
    ended = true;
    if (item instanceof Failure failure) {
      throw failure.error();
    }
    newlinesInRange = ((End) item).newlines();
    return null;
  }

  /**
   * The line breaks in the shard's byte range, once {@link #next()} has returned null (-1 before):
   * what the scheduler adds up to number the lines of the next shards.
   */
  public long newlinesInRange() {
    return newlinesInRange;
  }

  /** Stops reading; the input stream is closed by the reading thread. */
  @Override
  public void close() {
    closed = true;
    queue.clear();
  }
}
