package dev.kiln.agent;

import dev.kiln.protocol.parquet.JsonParquet;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A shard's output part written as Parquet: the JSON lines the part sink writes go to a scratch
 * file, and {@link #close()} turns them into one Parquet file in the part's stream ({@link
 * JsonParquet}: the columns decided by all of the shard's records, then the rows), so a shard's
 * output never has to fit in memory. {@link #discard()} drops the scratch file after a failure. Not
 * thread-safe.
 */
final class ParquetPart extends OutputStream {
  private final OutputStream part;
  private final Path scratch;
  private final OutputStream lines;
  private boolean closed;

  /**
   * @param part where the Parquet file goes (closed by {@link #close()})
   * @param workDir where the scratch file lives
   */
  ParquetPart(OutputStream part, Path workDir) throws IOException {
    this.part = part;
    Files.createDirectories(workDir);
    this.scratch = Files.createTempFile(workDir, "part-", ".jsonl");
    this.lines = new BufferedOutputStream(Files.newOutputStream(scratch), 64 * 1024);
  }

  @Override
  public void write(int b) throws IOException {
    lines.write(b);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    lines.write(bytes, offset, length);
  }

  /** Writes the Parquet file into the part and closes it; the scratch file is deleted. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      lines.close();
      JsonParquet.write(() -> Files.newBufferedReader(scratch, StandardCharsets.UTF_8), part);
    } finally {
      Files.deleteIfExists(scratch);
    }
  }

  /** Drops the scratch file; the caller aborts the part. */
  void discard() {
    closed = true;
    try {
      lines.close();
    } catch (IOException e) {
      // the file goes anyway
    }
    try {
      Files.deleteIfExists(scratch);
    } catch (IOException e) {
      // a scratch file left behind is removed with the work directory
    }
  }
}
