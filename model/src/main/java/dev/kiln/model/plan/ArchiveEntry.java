package dev.kiln.model.plan;

/**
 * One file of an archive input, as its directory (zip) or its headers (tar) describe it.
 *
 * @param offset where the file's first header starts in the archive: the shard whose range holds
 *     this offset owns the file
 * @param name the file's path in the archive
 * @param storedSize the bytes it takes in the archive (compressed, for a deflated zip entry)
 * @param size its bytes once read
 * @param method how a zip entry is stored ({@link #STORED} or {@link #DEFLATED}); {@link #STORED}
 *     for tar
 */
public record ArchiveEntry(long offset, String name, long storedSize, long size, int method) {
  public static final int STORED = 0;
  public static final int DEFLATED = 8;
}
