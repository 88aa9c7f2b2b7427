package dev.kiln.protocol.parquet;

/**
 * Where one row group of a Parquet file lies and which rows it holds.
 *
 * @param index the row group's position in the footer, from 0
 * @param start the offset of its first column chunk's first page
 * @param end the offset just after its last column chunk
 * @param firstRow the file's row number (from 0) of its first row
 * @param rows how many rows it holds
 */
public record RowGroupSpan(int index, long start, long end, long firstRow, long rows) {
  /** Its size in the file. */
  public long bytes() {
    return end - start;
  }
}
