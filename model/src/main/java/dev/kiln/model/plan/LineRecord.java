package dev.kiln.model.plan;

/**
 * One record: its byte offset in the input, its text without the line break that ends it, and how
 * many {@code \n} bytes lie between its shard's first byte and the record (so its line in the file
 * is one plus the line breaks before the shard plus this).
 */
public record LineRecord(long offset, String text, long newlinesFromShardStart) {
  /** A record whose line within its shard is not known (tests and tools). */
  public LineRecord(long offset, String text) {
    this(offset, text, 0);
  }
}
