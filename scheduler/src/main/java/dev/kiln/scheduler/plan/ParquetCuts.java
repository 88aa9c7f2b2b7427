package dev.kiln.scheduler.plan;

import dev.kiln.model.StoredFile;
import dev.kiln.model.plan.RangeReader;
import dev.kiln.protocol.parquet.BadParquetException;
import dev.kiln.protocol.parquet.ParquetFooter;
import dev.kiln.protocol.parquet.ParquetLayout;
import dev.kiln.protocol.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What the planner needs of a Parquet input, from its footer alone (one or two ranged GETs at the
 * file's end, never its data): where its row groups start, so shards are cut there and hold whole
 * row groups, and its numeric columns, handed to every shard as the header a CSV input would have.
 * Stateless.
 */
final class ParquetCuts {
  private final ObjectStore store;

  ParquetCuts(ObjectStore store) {
    this.store = store;
  }

  /** The cuts and the header of a Parquet input. */
  record Plan(long[] cuts, String header) {}

  /**
   * Reads the footer of {@code file}.
   *
   * @throws IllegalArgumentException saying why the file cannot be read as Parquet
   */
  Plan of(StoredFile file, long size) {
    RangeReader ranges =
        (offset, length) ->
            store.readRange(
                file.bucket(), file.objectKey(), offset, Math.min(size, offset + length));
    try {
      ParquetLayout layout = ParquetFooter.read(ranges, size);
      return new Plan(layout.cuts(), header(layout.numericColumns()));
    } catch (BadParquetException e) {
      throw new IllegalArgumentException("'" + file.name() + "' " + e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException("reading '" + file.name() + "' failed: " + e.getMessage(), e);
    }
  }

  /** The column names as one CSV line (quoted where a name holds a comma or a quote). */
  static String header(List<String> names) {
    StringBuilder line = new StringBuilder();
    for (String name : names) {
      if (!line.isEmpty()) {
        line.append(',');
      }
      if (name.contains(",") || name.contains("\"") || name.contains("\n")) {
        line.append('"').append(name.replace("\"", "\"\"")).append('"');
      } else {
        line.append(name);
      }
    }
    return line.toString();
  }
}
