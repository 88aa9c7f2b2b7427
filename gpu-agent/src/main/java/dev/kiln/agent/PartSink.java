package dev.kiln.agent;

import dev.kiln.agent.processor.OutputSink;
import dev.kiln.model.plan.LineRecord;
import dev.kiln.protocol.storage.ErrorPartLine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes a shard's output part and, lazily, its error part: one {@link ErrorPartLine} per failed
 * record, with the record's offset, the line breaks before it in the shard, the reason and the
 * record itself (cut to a limit). Buffers at most {@link #BUFFER_BYTES} per stream on top of the
 * streams' own buffers. Not thread-safe.
 */
final class PartSink implements OutputSink {
  static final int BUFFER_BYTES = 64 * 1024;

  private final OutputStream out;
  private final Supplier<OutputStream> errorStreams;
  private final byte[] buffer = new byte[BUFFER_BYTES];
  private int filled;
  private long bytes;
  private OutputStream errorOut;
  private long errors;
  private List<LineRecord> records = List.of();
  private long[] offsets = new long[0];
  private int offsetCount;

  PartSink(OutputStream out, Supplier<OutputStream> errorStreams) {
    this.out = out;
    this.errorStreams = errorStreams;
  }

  /**
   * Tells the sink the batch being processed ({@code offsets} holds its records' offsets), so an
   * error names its record's line and text.
   */
  void batch(List<LineRecord> records, long[] offsets) {
    this.records = records;
    this.offsets = offsets;
    this.offsetCount = records.size();
  }

  @Override
  public void write(String record) throws IOException {
    byte[] encoded = record.getBytes(StandardCharsets.UTF_8);
    append(encoded);
    append(NEWLINE);
  }

  private static final byte[] NEWLINE = {'\n'};

  private void append(byte[] bytesToWrite) throws IOException {
    if (bytesToWrite.length > buffer.length - filled) {
      flushBuffer();
      if (bytesToWrite.length > buffer.length) {
        out.write(bytesToWrite);
        bytes += bytesToWrite.length;
        return;
      }
    }
    System.arraycopy(bytesToWrite, 0, buffer, filled, bytesToWrite.length);
    filled += bytesToWrite.length;
    bytes += bytesToWrite.length;
  }

  private void flushBuffer() throws IOException {
    if (filled > 0) {
      out.write(buffer, 0, filled);
      filled = 0;
    }
  }

  @Override
  public void error(long offset, String message) throws IOException {
    if (errorOut == null) {
      errorOut = errorStreams.get();
    }
    int index = java.util.Arrays.binarySearch(offsets, 0, offsetCount, offset);
    LineRecord record = index >= 0 ? records.get(index) : null;
    ErrorPartLine line =
        ErrorPartLine.of(
            offset,
            record == null ? -1 : record.newlinesFromShardStart(),
            message,
            record == null ? null : record.text());
    errorOut.write(line.toJson());
    errorOut.write('\n');
    errors++;
  }

  long bytes() {
    return bytes;
  }

  long errors() {
    return errors;
  }

  boolean hasErrorPart() {
    return errorOut != null;
  }

  /** Flushes the output buffer and closes the error part; the caller closes the output. */
  void finish() throws IOException {
    flushBuffer();
    if (errorOut != null) {
      errorOut.close();
    }
  }
}
