package dev.kiln.model.plan;

import java.nio.ByteBuffer;

/**
 * One record: its byte offset in the input, its text without the line break that ends it, and how
 * many {@code \n} bytes lie between its shard's first byte and the record (so its line in the file
 * is one plus the line breaks before the shard plus this).
 *
 * <p>A record of an archive input ({@code zip}, {@code tar}) is one file: {@code text} is the
 * file's name in the archive, {@code content} its bytes (read-only), {@code offset} where its
 * headers start in the archive, and {@code newlinesFromShardStart} -1 (a file has no line in the
 * input). {@code content} is null for every other record.
 */
public record LineRecord(
    long offset, String text, long newlinesFromShardStart, ByteBuffer content) {
  public LineRecord {
    content = content == null ? null : content.asReadOnlyBuffer();
  }

  /** A record of a line-delimited input. */
  public LineRecord(long offset, String text, long newlinesFromShardStart) {
    this(offset, text, newlinesFromShardStart, null);
  }

  /** A record whose line within its shard is not known (tests and tools). */
  public LineRecord(long offset, String text) {
    this(offset, text, 0);
  }

  /** The file of an archive named {@code name}, holding {@code bytes}. */
  public static LineRecord file(long offset, String name, byte[] bytes) {
    return new LineRecord(offset, name, -1, ByteBuffer.wrap(bytes));
  }

  /** Whether this record is a file of an archive. */
  public boolean isFile() {
    return content != null;
  }

  /** A copy of the file's bytes, or the text's UTF-8 bytes for a line record. */
  public byte[] bytes() {
    if (content == null) {
      return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    ByteBuffer view = content.duplicate();
    byte[] copy = new byte[view.remaining()];
    view.get(copy);
    return copy;
  }

  /** The characters or bytes this record holds in memory, for batch limits. */
  public long weight() {
    return text.length() + (content == null ? 0 : content.remaining());
  }
}
