package dev.kiln.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.agent.processor.OutputSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Writes a shard's output part and, lazily, its error part: JSON lines {@code
 * {"offset":..,"line":..,"message":..}} where {@code offset} is the record's byte offset in the
 * input and {@code line} its 1-based position among the shard's records. Buffers at most {@link
 * #BUFFER_BYTES} per stream on top of the streams' own buffers. Not thread-safe.
 */
final class PartSink implements OutputSink {
  static final int BUFFER_BYTES = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final OutputStream out;
  private final Supplier<OutputStream> errorStreams;
  private final byte[] buffer = new byte[BUFFER_BYTES];
  private int filled;
  private long bytes;
  private OutputStream errorOut;
  private long errors;
  private long firstRecord;
  private long[] offsets = new long[0];
  private int offsetCount;

  PartSink(OutputStream out, Supplier<OutputStream> errorStreams) {
    this.out = out;
    this.errorStreams = errorStreams;
  }

  /** Tells the sink the offsets of the batch being processed, for line numbers of errors. */
  void batch(long firstRecord, long[] offsets, int count) {
    this.firstRecord = firstRecord;
    this.offsets = offsets;
    this.offsetCount = count;
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
    ObjectNode line = JSON.createObjectNode();
    line.put("offset", offset);
    int index = java.util.Arrays.binarySearch(offsets, 0, offsetCount, offset);
    if (index >= 0) {
      line.put("line", firstRecord + index);
    }
    line.put("message", message);
    errorOut.write(JSON.writeValueAsBytes(line));
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
