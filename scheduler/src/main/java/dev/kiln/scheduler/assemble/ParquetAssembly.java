package dev.kiln.scheduler.assemble;

import dev.kiln.protocol.parquet.BadParquetException;
import dev.kiln.protocol.parquet.ParquetPartMerger;
import dev.kiln.protocol.storage.MultipartOutputStream;
import dev.kiln.protocol.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Assembles a Parquet output: the parts' row groups streamed through this process in index order
 * into one multipart upload, then one footer for them all ({@link ParquetPartMerger}). Parquet
 * parts cannot be concatenated server-side (each carries its own footer), so there is no early copy
 * while the job runs. The object appears whole or not at all. Thread-safe.
 */
final class ParquetAssembly {
  private static final int UPLOAD_PART_BYTES = 8 * 1024 * 1024;

  private final ObjectStore store;

  ParquetAssembly(ObjectStore store) {
    this.store = store;
  }

  /**
   * Writes the merged file of {@code parts} into {@code bucket/key}.
   *
   * @throws BadParquetException when a part is not a Parquet part
   */
  void assemble(String bucket, List<PartConcatenator.Part> parts, String key) throws IOException {
    List<ParquetPartMerger.Part> sources =
        parts.stream()
            .map(
                part ->
                    new ParquetPartMerger.Part(
                        (offset, length) ->
                            store.readRange(
                                bucket, part.key(), offset, Math.min(part.size(), offset + length)),
                        part.size()))
            .toList();
    MultipartOutputStream out = store.create(bucket, key, UPLOAD_PART_BYTES);
    try {
      ParquetPartMerger.merge(sources, out);
      out.close();
    } catch (IOException | RuntimeException e) {
      out.abort();
      throw e;
    }
  }

  /**
   * {@link #assemble} for a caller that cannot throw checked exceptions.
   *
   * @throws UnmergeablePartException when a part is not a Parquet part, which no retry mends
   */
  void assembleUnchecked(String bucket, List<PartConcatenator.Part> parts, String key) {
    try {
      assemble(bucket, parts, key);
    } catch (BadParquetException e) {
      throw new UnmergeablePartException("an output part of " + key + " " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A part that cannot be merged: the job fails with this message. */
  static final class UnmergeablePartException extends RuntimeException {
    UnmergeablePartException(String message) {
      super(message);
    }
  }
}
