package dev.kiln.protocol.parquet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.plan.LineRecord;
import dev.kiln.model.plan.RangeReader;
import dev.kiln.protocol.parquet.ParquetRowWriter.Column;
import dev.kiln.protocol.parquet.ParquetRowWriter.ColumnType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;

/**
 * Merges the Parquet parts of an output, in order, into one Parquet file: {@code PAR1}, each part's
 * row groups copied byte for byte (everything between its {@code PAR1} and its footer), then one
 * footer listing every part's row groups with their offsets moved to where they now lie. The rows
 * are the parts' rows in part order, each once. The file's columns are decided by {@link
 * JsonParquet}'s rule over the parts' columns; a part with the same columns in another order has
 * its column chunks listed in the file's order, and a part whose columns differ otherwise is read
 * and written again under them first (in memory: parts are shard-sized). Copies stream in slices of
 * {@link #SLICE_BYTES}. Stateless.
 */
public final class ParquetPartMerger {
  /** A part: how to read it and its size (an empty part holds no rows and is skipped). */
  public record Part(RangeReader ranges, long size) {}

  /** The most read at once while copying a part. */
  static final int SLICE_BYTES = 8 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ParquetPartMerger() {}

  /**
   * Writes the merged file into {@code out}, which it does not close.
   *
   * @return the rows of the merged file
   * @throws BadParquetException when a part is not a Parquet file Kiln wrote
   */
  public static long merge(List<Part> parts, OutputStream out) throws IOException {
    List<Part> nonEmpty = parts.stream().filter(part -> part.size() > 0).toList();
    List<ParquetLayout> layouts = new ArrayList<>(nonEmpty.size());
    JsonParquet.Columns decided = new JsonParquet.Columns();
    for (Part part : nonEmpty) {
      ParquetLayout layout = ParquetFooter.read(part.ranges(), part.size());
      layouts.add(layout);
      decided.addAll(JsonParquet.columnsOf(layout.schema()));
    }
    List<Column> columns = decided.columns();
    if (columns.isEmpty()) {
      columns = List.of(new Column(JsonParquet.VALUE_COLUMN, ColumnType.STRING));
    }
    out.write(ParquetFooter.MAGIC);
    long position = ParquetFooter.MAGIC.length;
    long rows = 0;
    List<RowGroup> groups = new ArrayList<>();
    for (int i = 0; i < nonEmpty.size(); i++) {
      Part part = nonEmpty.get(i);
      ParquetLayout layout = layouts.get(i);
      List<Column> own = JsonParquet.columnsOf(layout.schema());
      if (!Set.copyOf(own).equals(Set.copyOf(columns))) {
        byte[] again = rewrite(part, columns);
        part = new Part(bytes(again), again.length);
        layout = ParquetFooter.read(part.ranges(), part.size());
        own = columns;
      }
      int[] order = columns.stream().mapToInt(own::indexOf).toArray();
      long delta = position - ParquetFooter.MAGIC.length;
      position += copy(part.ranges(), ParquetFooter.MAGIC.length, layout.dataEnd(), out);
      for (RowGroup group : layout.footerRowGroups()) {
        groups.add(moved(group, delta, order));
        rows += group.getNum_rows();
      }
    }
    FileMetaData metadata =
        new FileMetaData(
            1, ParquetSchemas.toFooter(ParquetRowWriter.schemaOf(columns)), rows, groups);
    ParquetRowWriter.writeFooter(metadata, out);
    return rows;
  }

  /** Copies {@code [from, to)} of a part into {@code out}; answers the bytes copied. */
  private static long copy(RangeReader ranges, long from, long to, OutputStream out)
      throws IOException {
    for (long at = from; at < to; ) {
      int length = (int) Math.min(SLICE_BYTES, to - at);
      byte[] slice = ranges.read(at, length);
      if (slice.length != length) {
        throw new IOException(
            "a part ended at " + (at + slice.length) + " of its " + to + " bytes");
      }
      out.write(slice);
      at += length;
    }
    return to - from;
  }

  /**
   * {@code group} with every offset in it moved by {@code delta} and its column chunks in the
   * file's column order ({@code order[i]}: the part's index of the file's column {@code i}).
   */
  static RowGroup moved(RowGroup group, long delta, int[] order) {
    RowGroup copy = group.deepCopy();
    List<ColumnChunk> chunks = new ArrayList<>(order.length);
    for (int index : order) {
      chunks.add(copy.getColumns().get(index));
    }
    copy.setColumns(chunks);
    if (copy.isSetFile_offset()) {
      copy.setFile_offset(copy.getFile_offset() + delta);
    }
    for (ColumnChunk chunk : copy.getColumns()) {
      chunk.setFile_offset(chunk.getFile_offset() + delta);
      if (chunk.isSetOffset_index_offset()) {
        chunk.setOffset_index_offset(chunk.getOffset_index_offset() + delta);
      }
      if (chunk.isSetColumn_index_offset()) {
        chunk.setColumn_index_offset(chunk.getColumn_index_offset() + delta);
      }
      ColumnMetaData column = chunk.getMeta_data();
      column.setData_page_offset(column.getData_page_offset() + delta);
      if (column.isSetDictionary_page_offset()) {
        column.setDictionary_page_offset(column.getDictionary_page_offset() + delta);
      }
      if (column.isSetIndex_page_offset()) {
        column.setIndex_page_offset(column.getIndex_page_offset() + delta);
      }
      if (column.isSetBloom_filter_offset()) {
        column.setBloom_filter_offset(column.getBloom_filter_offset() + delta);
      }
    }
    return copy;
  }

  /** The part's rows written again under {@code columns}. */
  private static byte[] rewrite(Part part, List<Column> columns) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ParquetRows rows = new ParquetRows(part.ranges(), part.size(), 0, part.size());
        ParquetRowWriter writer =
            new ParquetRowWriter(bytes, columns, JsonParquet.ROWS_PER_GROUP, JsonParquet.CODEC)) {
      for (LineRecord row = rows.next(); row != null; row = rows.next()) {
        writer.write(JsonParquet.values((ObjectNode) JSON.readTree(row.text()), columns));
      }
    }
    return bytes.toByteArray();
  }

  private static RangeReader bytes(byte[] file) {
    return (offset, length) ->
        Arrays.copyOfRange(file, (int) offset, (int) Math.min(file.length, offset + length));
  }
}
