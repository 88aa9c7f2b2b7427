package dev.kiln.protocol.parquet;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * What the footer of a Parquet file says: its schema and where each row group lies. A shard {@code
 * [start, end)} owns the row groups that start in it ({@link #owned}), so every row group, and so
 * every row, belongs to exactly one shard when the shards are cut at {@link #cuts()}. Immutable
 * once read; thread-safe.
 */
public final class ParquetLayout {
  private final FileMetaData metadata;
  private final MessageType schema;
  private final List<RowGroupSpan> rowGroups;
  private final long dataEnd;

  private ParquetLayout(
      FileMetaData metadata, MessageType schema, List<RowGroupSpan> rowGroups, long dataEnd) {
    this.metadata = metadata;
    this.dataEnd = dataEnd;
    this.schema = schema;
    this.rowGroups = List.copyOf(rowGroups);
  }

  /** Checks the footer against the file: every column chunk must lie in {@code [4, dataEnd)}. */
  static ParquetLayout of(FileMetaData metadata, long dataEnd) throws BadParquetException {
    MessageType schema = ParquetSchemas.fromFooter(metadata.getSchema());
    List<RowGroupSpan> spans = new ArrayList<>();
    long firstRow = 0;
    List<RowGroup> groups = metadata.getRow_groups() == null ? List.of() : metadata.getRow_groups();
    for (int index = 0; index < groups.size(); index++) {
      RowGroup group = groups.get(index);
      if (group.getColumns() == null
          || group.getColumns().size() != schema.getColumns().size()
          || group.getNum_rows() < 0) {
        throw new BadParquetException(
            "has a footer whose row group "
                + index
                + " does not match its schema: the file is damaged; write it again and upload it");
      }
      long start = Long.MAX_VALUE;
      long end = Long.MIN_VALUE;
      for (ColumnChunk chunk : group.getColumns()) {
        ColumnMetaData column = chunk.getMeta_data();
        if (column == null) {
          throw new BadParquetException(
              "keeps its column metadata outside its footer, which Kiln cannot read: write the"
                  + " file as one file");
        }
        long chunkStart = chunkStart(column);
        long chunkEnd = chunkStart + column.getTotal_compressed_size();
        if (chunkStart < ParquetFooter.MAGIC.length
            || column.getTotal_compressed_size() < 0
            || chunkEnd > dataEnd) {
          throw new BadParquetException(
              "has a row group ("
                  + index
                  + ") that points outside the file: the file is cut short or damaged; write it"
                  + " again and upload the whole file");
        }
        start = Math.min(start, chunkStart);
        end = Math.max(end, chunkEnd);
      }
      if (start == Long.MAX_VALUE) {
        continue;
      }
      spans.add(new RowGroupSpan(index, start, end, firstRow, group.getNum_rows()));
      firstRow += group.getNum_rows();
    }
    for (int i = 1; i < spans.size(); i++) {
      if (spans.get(i).start() < spans.get(i - 1).end()) {
        throw new BadParquetException(
            "has row groups that overlap: the file is damaged; write it again and upload it");
      }
    }
    return new ParquetLayout(metadata, schema, spans, dataEnd);
  }

  /** Where a column chunk starts: its dictionary page when it has one, else its first data page. */
  static long chunkStart(ColumnMetaData column) {
    long data = column.getData_page_offset();
    if (column.isSetDictionary_page_offset()
        && column.getDictionary_page_offset() > 0
        && column.getDictionary_page_offset() < data) {
      return column.getDictionary_page_offset();
    }
    return data;
  }

  /** The row groups, in file order. */
  public List<RowGroupSpan> rowGroups() {
    return rowGroups;
  }

  /**
   * The offsets where row groups after the first start, ascending: where shards may be cut (the
   * first shard starts at 0 and owns the first row group).
   */
  public long[] cuts() {
    return rowGroups.stream().skip(1).mapToLong(RowGroupSpan::start).toArray();
  }

  /** The row groups that start in {@code [start, end)}. */
  public List<RowGroupSpan> owned(long start, long end) {
    return rowGroups.stream().filter(g -> g.start() >= start && g.start() < end).toList();
  }

  /** The rows of the file. */
  public long rows() {
    return rowGroups.stream().mapToLong(RowGroupSpan::rows).sum();
  }

  /** The file's schema, as Parquet's column layer reads it. */
  public MessageType schema() {
    return schema;
  }

  /**
   * The top-level columns holding one number per row (integers and floating point, without a
   * decimal, date or time annotation), in schema order: what a model can take as features.
   */
  public List<String> numericColumns() {
    List<String> names = new ArrayList<>();
    for (Type field : schema.getFields()) {
      if (field.isPrimitive()
          && !field.isRepetition(Type.Repetition.REPEATED)
          && (field.getLogicalTypeAnnotation() == null
              || field.getLogicalTypeAnnotation()
                  instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation)
          && isNumber(field.asPrimitiveType().getPrimitiveTypeName())) {
        names.add(field.getName());
      }
    }
    return names;
  }

  private static boolean isNumber(PrimitiveType.PrimitiveTypeName type) {
    return switch (type) {
      case INT32, INT64, FLOAT, DOUBLE -> true;
      default -> false;
    };
  }

  /** The column chunks of row group {@code index}, in schema column order. */
  List<ColumnMetaData> columnChunks(int index) {
    return metadata.getRow_groups().get(index).getColumns().stream()
        .map(ColumnChunk::getMeta_data)
        .toList();
  }

  /** The offset where the footer starts: the row groups lie in {@code [4, dataEnd)}. */
  long dataEnd() {
    return dataEnd;
  }

  /** The footer's row groups, as written. */
  List<RowGroup> footerRowGroups() {
    return metadata.getRow_groups() == null ? List.of() : metadata.getRow_groups();
  }

  /** The writer named in the footer (Parquet's column layer reads some old writers' quirks). */
  String createdBy() {
    return metadata.getCreated_by();
  }
}
