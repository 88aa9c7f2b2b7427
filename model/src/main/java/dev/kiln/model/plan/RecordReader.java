package dev.kiln.model.plan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the records a shard owns. A shard {@code [start, end)} owns every record that starts at an
 * offset in {@code [start, end)}, reading past {@code end} to finish the last one, as Hadoop's line
 * reader does; so every record belongs to exactly one shard, whatever the shard size. Empty records
 * (blank lines) are not records; a {@code \r} before the line break is dropped. Not thread-safe.
 *
 * <h2>Finding the first record of a CSV shard</h2>
 *
 * <p>In CSV a line break inside quotes does not end a record, and a shard cannot tell from its
 * first byte whether it starts inside quotes: that depends on every byte before it. The planner
 * reads no data, so the reader decides, speculatively and then exactly:
 *
 * <ol>
 *   <li><b>Look back one record.</b> A record is at most {@code maxRecordBytes} long (a longer one
 *       fails the job, in the shard where it starts), so the record holding byte {@code start - 1}
 *       starts after one of the line breaks in the {@code maxRecordBytes + 2} bytes before {@code
 *       start}. The reader runs the {@link RecordSyntax} state machine over that window from every
 *       such candidate at once (a set of at most four states: speculative parsing, as in Ge et al.,
 *       "Speculative Distributed CSV Data Parsing for Big Data Analytics", SIGMOD 2019), so the
 *       true state is in the set it holds.
 *   <li><b>Confirm at the first line break.</b> Going on from {@code start}, at each line break the
 *       set says whether it ends a record: yes if no candidate is inside quotes, no if all are. The
 *       first record start found this way is exact, and from there on the state is known.
 *   <li><b>Fall back when the candidates disagree.</b> Only if a line break at or after {@code
 *       start - 1} is inside quotes for some candidates and outside for others (the shard starts
 *       inside a quoted field with line breaks, and the window holds no later quote that tells them
 *       apart), the reader runs the machine over {@code [0, start - 1)} from the file's start to
 *       learn the exact state, and starts again from there. That scan reads only, parses nothing,
 *       and happens to few shards: for files without quoted line breaks never, since then every
 *       candidate is a true record start.
 * </ol>
 *
 * So the split is exact for every file: each record once, in order, for any shard size, or the job
 * fails because a record is longer than {@code maxRecordBytes}. For {@link RecordSyntax#LINES} the
 * window is the one byte before {@code start}.
 *
 * <p>The reader also counts the line breaks ({@code \n}) in {@code [start, end)} ({@link
 * #newlinesInRange()}), so that the scheduler can number lines in the file by adding up the counts
 * of the shards before.
 */
public final class RecordReader implements RecordSource {
  private static final int BUFFER_BYTES = 64 * 1024;

  private final ByteSource source;
  private final RecordSyntax syntax;
  private final long start;
  private final long end;
  private final boolean skipHeader;
  private final int maxRecordBytes;
  private final byte[] buffer = new byte[BUFFER_BYTES];
  private InputStream in;
  private int bufferPos;
  private int bufferLimit;
  private long position;
  private long newlines;
  private byte[] record = new byte[1024];
  private boolean aligned;
  private boolean done;
  private boolean scannedFromFileStart;

  /**
   * @param source the input, readable from any offset (the reader opens it at {@link #firstOffset},
   *     and at 0 when it must scan from the file's start)
   * @param start the shard's first owned offset
   * @param end the shard's end (exclusive) for record starts
   * @param syntax where records end
   * @param skipHeader whether the shard at offset 0 skips the input's first record (a CSV header)
   * @param maxRecordBytes the longest record accepted
   */
  public RecordReader(
      ByteSource source,
      long start,
      long end,
      RecordSyntax syntax,
      boolean skipHeader,
      int maxRecordBytes) {
    this.source = source;
    this.start = start;
    this.end = end;
    this.syntax = syntax;
    this.skipHeader = skipHeader && start == 0;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** The first offset a reader of a shard starting at {@code start} reads (usually). */
  public static long firstOffset(long start, RecordSyntax syntax, int maxRecordBytes) {
    if (start == 0) {
      return 0;
    }
    return syntax == RecordSyntax.LINES ? start - 1 : Math.max(0, start - maxRecordBytes - 2L);
  }

  /** Whether the reader had to scan from the file's start to find its first record. */
  public boolean scannedFromFileStart() {
    return scannedFromFileStart;
  }

  /** The {@code \n} bytes in {@code [start, end)}; complete once {@link #next()} returned null. */
  public long newlinesInRange() {
    return newlines;
  }

  /** The next owned record, or {@code null} when the shard has no more. */
  public LineRecord next() throws IOException {
    if (done) {
      return null;
    }
    if (!aligned) {
      aligned = true;
      if (!align() || (skipHeader && readRecord() < 0)) {
        return finish();
      }
    }
    while (position < end) {
      long offset = position;
      long before = newlines;
      int length = readRecord();
      if (length < 0) {
        return finish();
      }
      if (length > 0 && record[length - 1] == '\r') {
        length--;
      }
      if (length > 0) {
        return new LineRecord(
            offset, new String(record, 0, length, StandardCharsets.UTF_8), before);
      }
    }
    return finish();
  }

  private LineRecord finish() {
    done = true;
    close();
    return null;
  }

  /**
   * Moves to the first record that starts at or after {@code start}; false when there is none
   * before the end of the input.
   */
  private boolean align() throws IOException {
    long from = firstOffset(start, syntax, maxRecordBytes);
    open(from);
    if (start == 0) {
      return true;
    }
    boolean inject = from > 0 && syntax == RecordSyntax.CSV;
    int states =
        syntax == RecordSyntax.LINES
            ? 1 << RecordSyntax.UNQUOTED
            : from == 0 ? 1 << RecordSyntax.FIELD_START : 0;
    long lastByte = start - 1;
    while (fill()) {
      while (bufferPos < bufferLimit) {
        byte b = buffer[bufferPos];
        long at = position;
        if (at < lastByte) {
          states = syntax.nextSet(states, b);
          if (inject && b == '\n') {
            states |= 1 << RecordSyntax.FIELD_START;
          }
          advance();
          if (plain(b)) {
            // After one byte that is no quote, comma or line break, more of them leave the set
            // as it is (each state goes to UNQUOTED or stays QUOTED): skip the run.
            int limit = (int) Math.min(bufferLimit, bufferPos + (lastByte - position));
            int next = bufferPos;
            while (next < limit && plain(buffer[next])) {
              next++;
            }
            position += next - bufferPos;
            bufferPos = next;
          }
          continue;
        }
        if (at == lastByte && states == 0) {
          throw new RecordTooLongException(lastByte, maxRecordBytes);
        }
        if (b == '\n') {
          if ((states & RecordSyntax.ONLY_QUOTED) == 0) {
            countNewline(at);
            advance();
            return true;
          }
          if (states != RecordSyntax.ONLY_QUOTED) {
            states = 1 << restartFromExactState(lastByte);
            continue;
          }
          countNewline(at);
        }
        states = syntax.nextSet(states, b);
        advance();
      }
    }
    return false;
  }

  /**
   * Learns the exact state before {@code offset} by running the machine from the file's start, then
   * reopens the input at {@code offset}; returns that state.
   */
  private int restartFromExactState(long offset) throws IOException {
    scannedFromFileStart = true;
    close();
    int state = RecordSyntax.FIELD_START;
    try (InputStream scan = source.open(0)) {
      long left = offset;
      while (left > 0) {
        int read = scan.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (read < 0) {
          break;
        }
        for (int i = 0; i < read; i++) {
          state = syntax.next(state, buffer[i]);
        }
        left -= read;
      }
    }
    newlines = 0;
    open(offset);
    return state;
  }

  private static boolean plain(byte b) {
    return b != '"' && b != ',' && b != '\n';
  }

  private void advance() {
    bufferPos++;
    position++;
  }

  private void countNewline(long at) {
    if (at >= start && at < end) {
      newlines++;
    }
  }

  /**
   * Reads one record from a record start into {@link #record}, without its {@code \n}; returns its
   * length, or -1 at the end of the input with nothing read.
   */
  private int readRecord() throws IOException {
    long offset = position;
    int length = 0;
    boolean any = false;
    int state = RecordSyntax.FIELD_START;
    while (fill()) {
      any = true;
      int from = bufferPos;
      int i = from;
      boolean ended = false;
      if (syntax == RecordSyntax.LINES) {
        while (i < bufferLimit && buffer[i] != '\n') {
          i++;
        }
        if (i < bufferLimit) {
          ended = true;
          countNewline(position + (i - from));
        }
      } else {
        // The state machine, with the two common runs scanned without it: the inside of a quoted
        // field up to its next quote, and an unquoted field up to its next comma or line break.
        while (i < bufferLimit) {
          byte b = buffer[i];
          if (state == RecordSyntax.QUOTED) {
            while (b != '"') {
              if (b == '\n') {
                countNewline(position + (i - from));
              }
              if (++i == bufferLimit) {
                break;
              }
              b = buffer[i];
            }
            if (i == bufferLimit) {
              break;
            }
          } else if (state == RecordSyntax.UNQUOTED) {
            while (b != ',' && b != '\n' && ++i < bufferLimit) {
              b = buffer[i];
            }
            if (i == bufferLimit) {
              break;
            }
          }
          if (b == '\n') {
            countNewline(position + (i - from));
            if (RecordSyntax.endsRecord(state)) {
              ended = true;
              break;
            }
          }
          state = syntax.next(state, b);
          i++;
        }
      }
      length = append(length, from, i - from, offset);
      position += i - from;
      bufferPos = i;
      if (ended) {
        bufferPos++;
        position++;
        return length;
      }
    }
    return any ? length : -1;
  }

  private int append(int length, int from, int count, long offset) throws RecordTooLongException {
    if (length + count > maxRecordBytes) {
      throw new RecordTooLongException(offset, maxRecordBytes);
    }
    if (length + count > record.length) {
      record = Arrays.copyOf(record, Math.max(record.length * 2, length + count));
    }
    System.arraycopy(buffer, from, record, length, count);
    return length + count;
  }

  private void open(long offset) throws IOException {
    in = source.open(offset);
    position = offset;
    bufferPos = 0;
    bufferLimit = 0;
  }

  private boolean fill() throws IOException {
    if (bufferPos < bufferLimit) {
      return true;
    }
    int read = in.readNBytes(buffer, 0, buffer.length);
    bufferPos = 0;
    bufferLimit = Math.max(read, 0);
    return bufferLimit > 0;
  }

  /** Closes the input; the reader returns no more records. */
  @Override
  public void close() {
    InputStream old = in;
    in = null;
    if (old != null) {
      try {
        old.close();
      } catch (IOException | RuntimeException ignored) {
        // Nothing more is read from it.
      }
    }
  }
}
