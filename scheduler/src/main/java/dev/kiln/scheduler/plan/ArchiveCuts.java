package dev.kiln.scheduler.plan;

import dev.kiln.model.InputFormat;
import dev.kiln.model.StoredFile;
import dev.kiln.model.plan.ArchiveEntry;
import dev.kiln.model.plan.BadArchiveException;
import dev.kiln.model.plan.ChunkedRangeReader;
import dev.kiln.model.plan.RangeReader;
import dev.kiln.model.plan.TarWalker;
import dev.kiln.model.plan.ZipDirectory;
import dev.kiln.protocol.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Where the shards of an archive input may begin: the offsets of its files, read with range
 * requests and never the files' data. A zip costs two or three reads at its end (the central
 * directory); a tar one read per 64 KiB of headers walked, so one per file when files are larger.
 * Stateless.
 */
final class ArchiveCuts {
  private static final int TAR_CHUNK_BYTES = 64 * 1024;

  private final ObjectStore store;

  ArchiveCuts(ObjectStore store) {
    this.store = store;
  }

  /**
   * The ascending offsets at which the files of {@code file} start.
   *
   * @throws IllegalArgumentException saying why the archive cannot be read
   */
  long[] of(StoredFile file, long size, InputFormat format) {
    RangeReader ranges =
        (offset, length) ->
            store.readRange(
                file.bucket(), file.objectKey(), offset, Math.min(size, offset + length));
    try {
      List<ArchiveEntry> entries;
      if (format == InputFormat.ZIP) {
        entries = ZipDirectory.read(ranges, size);
      } else {
        entries = new java.util.ArrayList<>();
        TarWalker walker = new TarWalker(new ChunkedRangeReader(ranges, size, TAR_CHUNK_BYTES), 0);
        ArchiveEntry entry;
        while ((entry = walker.next()) != null) {
          entries.add(entry);
        }
      }
      return entries.stream().mapToLong(ArchiveEntry::offset).toArray();
    } catch (BadArchiveException e) {
      throw new IllegalArgumentException(
          "'"
              + file.name()
              + "' cannot be read as a "
              + label(format)
              + " archive: "
              + e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException("reading '" + file.name() + "' failed: " + e.getMessage(), e);
    }
  }

  private static String label(InputFormat format) {
    return format == InputFormat.ZIP ? "zip" : "tar";
  }
}
