package dev.kiln.model.plan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the records a shard owns from a stream over its byte range, by the rule Hadoop's line
 * reader uses: a shard {@code [start, end)} owns every record that starts at an offset in {@code
 * [start, end)}, reading past {@code end} to finish the last one. So every record belongs to
 * exactly one shard, whatever the shard size.
 *
 * <p>The stream must begin at {@link #streamStart(long)}: one byte before {@code start} (so a
 * record starting exactly at {@code start} is recognised), or 0. Empty lines are not records. A
 * trailing {@code \r} is dropped. Not thread-safe.
 */
public final class LineAlignedReader {
  private static final int BUFFER_BYTES = 64 * 1024;

  private final InputStream in;
  private final long end;
  private final int maxRecordBytes;
  private final byte[] buffer = new byte[BUFFER_BYTES];
  private int bufferPos;
  private int bufferLimit;
  private long position;
  private byte[] line = new byte[1024];
  private boolean aligned;
  private boolean skipFirstRecord;
  private final long start;

  /**
   * @param in the bytes of the input from {@link #streamStart(long)} on (it may go on past end)
   * @param start the shard's first owned offset
   * @param end the shard's end (exclusive) for record starts
   * @param skipHeader whether the shard at offset 0 skips the input's first record (a CSV header)
   * @param maxRecordBytes the longest record accepted
   */
  public LineAlignedReader(
      InputStream in, long start, long end, boolean skipHeader, int maxRecordBytes) {
    this.in = in;
    this.start = start;
    this.end = end;
    this.maxRecordBytes = maxRecordBytes;
    this.position = streamStart(start);
    this.skipFirstRecord = skipHeader && start == 0;
  }

  /** Where the stream handed to the reader must begin for a shard starting at {@code start}. */
  public static long streamStart(long start) {
    return start == 0 ? 0 : start - 1;
  }

  /** Byte offset of the next unread byte in the input. */
  public long position() {
    return position;
  }

  /** The next owned record, or {@code null} when the shard has no more. */
  public LineRecord next() throws IOException {
    if (!aligned) {
      aligned = true;
      if (start > 0 && skipLine() < 0) {
        return null;
      }
      if (skipFirstRecord && skipLine() < 0) {
        return null;
      }
    }
    while (position < end) {
      long offset = position;
      int length = readLine(offset);
      if (length < 0) {
        return null;
      }
      if (length > 0 && line[length - 1] == '\r') {
        length--;
      }
      if (length > 0) {
        return new LineRecord(offset, new String(line, 0, length, StandardCharsets.UTF_8));
      }
    }
    return null;
  }

  /** Discards bytes through the next newline; returns -1 at end of stream with nothing read. */
  private int skipLine() throws IOException {
    boolean any = false;
    while (fill()) {
      any = true;
      for (int i = bufferPos; i < bufferLimit; i++) {
        if (buffer[i] == '\n') {
          position += i + 1 - bufferPos;
          bufferPos = i + 1;
          return 1;
        }
      }
      position += bufferLimit - bufferPos;
      bufferPos = bufferLimit;
    }
    return any ? 0 : -1;
  }

  /** Reads one line (without {@code \n}) into {@link #line}; -1 at end of stream. */
  private int readLine(long offset) throws IOException {
    int length = 0;
    boolean any = false;
    while (fill()) {
      any = true;
      int newline = -1;
      for (int i = bufferPos; i < bufferLimit; i++) {
        if (buffer[i] == '\n') {
          newline = i;
          break;
        }
      }
      int chunkEnd = newline >= 0 ? newline : bufferLimit;
      length = append(length, chunkEnd - bufferPos, offset);
      position += chunkEnd - bufferPos + (newline >= 0 ? 1 : 0);
      bufferPos = newline >= 0 ? newline + 1 : bufferLimit;
      if (newline >= 0) {
        return length;
      }
    }
    return any ? length : -1;
  }

  private int append(int length, int count, long offset) throws RecordTooLongException {
    if (length + count > maxRecordBytes) {
      throw new RecordTooLongException(offset, maxRecordBytes);
    }
    if (length + count > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
    }
    System.arraycopy(buffer, bufferPos, line, length, count);
    return length + count;
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
}
