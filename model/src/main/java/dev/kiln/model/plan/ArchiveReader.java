package dev.kiln.model.plan;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads the files a shard of an archive owns, one record each (its name and bytes, {@link
 * LineRecord#file}): the shard {@code [start, end)} owns every file whose first header starts in
 * that range, so every file belongs to exactly one shard whatever the ranges are. A zip shard reads
 * the central directory (at the archive's end) to find its files, then reads them in one forward
 * pass; a tar shard starts at a file's header (the planner cuts tar ranges there) and walks the
 * headers. Not thread-safe.
 */
public final class ArchiveReader implements RecordSource {
  private static final int LOCAL_HEADER_SIGNATURE = 0x04034b50;

  /** The archive kinds this reader reads. */
  public enum Kind {
    ZIP,
    TAR
  }

  private final Kind kind;
  private final ByteSource source;
  private final long size;
  private final long start;
  private final long end;
  private final int maxFileBytes;
  private final ForwardReader forward;
  private Iterator<ArchiveEntry> zipEntries;
  private TarWalker tar;
  private boolean done;

  /**
   * @param source the whole archive, readable from any offset
   * @param size the archive's size ({@link Long#MAX_VALUE} when unknown: tar only)
   * @param start the shard's first owned offset
   * @param end the shard's end (exclusive) for file starts
   * @param maxFileBytes the largest file read into a record
   */
  public ArchiveReader(
      Kind kind, ByteSource source, long size, long start, long end, int maxFileBytes) {
    this.kind = kind;
    this.source = source;
    this.size = size;
    this.start = start;
    this.end = end;
    this.maxFileBytes = maxFileBytes;
    this.forward = new ForwardReader(source);
  }

  @Override
  public LineRecord next() throws IOException {
    if (done) {
      return null;
    }
    LineRecord record = kind == Kind.ZIP ? nextZip() : nextTar();
    if (record == null) {
      done = true;
      close();
    }
    return record;
  }

  private LineRecord nextTar() throws IOException {
    if (tar == null) {
      tar = new TarWalker(forward, start);
    }
    ArchiveEntry entry = tar.next();
    if (entry == null || entry.offset() >= end) {
      return null;
    }
    checkSize(entry);
    byte[] bytes = forward.read(tar.dataOffset(entry), (int) entry.size());
    if (bytes.length < entry.size()) {
      throw new BadArchiveException("the tar archive ends inside '" + entry.name() + "'");
    }
    return LineRecord.file(entry.offset(), entry.name(), bytes);
  }

  private LineRecord nextZip() throws IOException {
    if (zipEntries == null) {
      List<ArchiveEntry> owned =
          ZipDirectory.read(this::readOnce, size).stream()
              .filter(entry -> entry.offset() >= start && entry.offset() < end)
              .toList();
      zipEntries = owned.iterator();
    }
    if (!zipEntries.hasNext()) {
      return null;
    }
    ArchiveEntry entry = zipEntries.next();
    checkSize(entry);
    byte[] local = forward.read(entry.offset(), 30);
    if (local.length < 30 || ZipDirectory.i32(local, 0) != LOCAL_HEADER_SIGNATURE) {
      throw new BadArchiveException("the zip entry '" + entry.name() + "' has no local header");
    }
    if ((ZipDirectory.u16(local, 6) & 1) != 0) {
      throw new BadArchiveException("the zip entry '" + entry.name() + "' is encrypted");
    }
    long data = entry.offset() + 30 + ZipDirectory.u16(local, 26) + ZipDirectory.u16(local, 28);
    byte[] stored = forward.read(data, (int) entry.storedSize());
    if (stored.length < entry.storedSize()) {
      throw new BadArchiveException("the zip archive ends inside '" + entry.name() + "'");
    }
    return LineRecord.file(entry.offset(), entry.name(), unpack(entry, stored));
  }

  private static byte[] unpack(ArchiveEntry entry, byte[] stored) throws BadArchiveException {
    if (entry.method() == ArchiveEntry.STORED) {
      return stored;
    }
    if (entry.method() != ArchiveEntry.DEFLATED) {
      throw new BadArchiveException(
          "the zip entry '"
              + entry.name()
              + "' uses compression method "
              + entry.method()
              + "; only stored and deflated entries are read");
    }
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(stored);
      byte[] bytes = new byte[(int) entry.size()];
      int filled = 0;
      while (filled < bytes.length && !inflater.finished()) {
        int n = inflater.inflate(bytes, filled, bytes.length - filled);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        filled += n;
      }
      if (filled != bytes.length) {
        throw new BadArchiveException(
            "the zip entry '" + entry.name() + "' inflates to fewer bytes than its directory says");
      }
      return bytes;
    } catch (DataFormatException e) {
      throw new BadArchiveException(
          "the zip entry '" + entry.name() + "' does not inflate: " + e.getMessage());
    } finally {
      inflater.end();
    }
  }

  private void checkSize(ArchiveEntry entry) throws BadArchiveException {
    if (entry.size() > maxFileBytes || entry.storedSize() > maxFileBytes) {
      throw new BadArchiveException(
          String.format(
              Locale.ROOT,
              "the file '%s' in the archive is %d bytes; a file record may be at most %d",
              entry.name(),
              Math.max(entry.size(), entry.storedSize()),
              maxFileBytes));
    }
  }

  private byte[] readOnce(long offset, int length) throws IOException {
    try (InputStream in = source.open(offset)) {
      return in.readNBytes(length);
    }
  }

  @Override
  public long newlinesInRange() {
    return 0;
  }

  @Override
  public void close() throws IOException {
    forward.close();
  }
}
