package dev.kiln.protocol.parquet;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes rows of flat, optional columns as one Parquet file, streaming: Parquet's column layer
 * encodes the pages (dictionary and RLE where they pay), this class lays out the file around them
 * ({@code PAR1}, row groups of {@code rowsPerGroup} rows, the footer). At most one row group is
 * held in memory. Not thread-safe.
 */
public final class ParquetRowWriter implements Closeable {
  /** The type of a column. */
  public enum ColumnType {
    LONG,
    DOUBLE,
    STRING,
    BOOLEAN
  }

  /** A column of the file: every column may hold nulls. */
  public record Column(String name, ColumnType type) {}

  /** How pages are compressed. */
  public enum Codec {
    UNCOMPRESSED,
    SNAPPY,
    GZIP,
    ZSTD,
    LZ4_RAW
  }

  private final CountingStream out;
  private final List<Column> columns;
  private final MessageType schema;
  private final int rowsPerGroup;
  private final CompressionCodec codec;
  private final ParquetProperties properties;
  private final List<RowGroup> rowGroups = new ArrayList<>();
  private Map<ColumnDescriptor, ColumnChunkBuffer> chunks;
  private ColumnWriteStore columnStore;
  private RecordConsumer consumer;
  private int rowsInGroup;
  private long rows;

  public ParquetRowWriter(OutputStream out, List<Column> columns, int rowsPerGroup, Codec codec)
      throws IOException {
    if (columns.isEmpty() || rowsPerGroup < 1) {
      throw new IllegalArgumentException("a Parquet file needs a column and a row group size");
    }
    this.out = new CountingStream(out);
    this.columns = List.copyOf(columns);
    this.rowsPerGroup = rowsPerGroup;
    this.codec = CompressionCodec.valueOf(codec.name());
    this.schema = schemaOf(columns);
    this.properties =
        ParquetProperties.builder()
            .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
            .withDictionaryEncoding(true)
            .build();
    this.out.write(ParquetFooter.MAGIC);
  }

  /** The message type of a file of {@code columns}, as this writer lays it out. */
  static MessageType schemaOf(List<Column> columns) {
    Types.MessageTypeBuilder builder = Types.buildMessage();
    for (Column column : columns) {
      builder.addField(type(column));
    }
    return builder.named("row");
  }

  private static Type type(Column column) {
    return switch (column.type()) {
      case LONG -> Types.optional(PrimitiveTypeName.INT64).named(column.name());
      case DOUBLE -> Types.optional(PrimitiveTypeName.DOUBLE).named(column.name());
      case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN).named(column.name());
      case STRING ->
          Types.optional(PrimitiveTypeName.BINARY)
              .as(LogicalTypeAnnotation.stringType())
              .named(column.name());
    };
  }

  /**
   * Writes one row: a value per column, in column order ({@code null} for none); a number for a
   * {@code LONG} or {@code DOUBLE} column, a {@code Boolean}, any object for a {@code STRING} (its
   * {@code toString()}).
   */
  public void write(List<?> values) throws IOException {
    if (values.size() != columns.size()) {
      throw new IllegalArgumentException(
          "a row needs " + columns.size() + " values, not " + values.size());
    }
    if (consumer == null) {
      startGroup();
    }
    consumer.startMessage();
    for (int i = 0; i < values.size(); i++) {
      Object value = values.get(i);
      if (value == null) {
        continue;
      }
      Column column = columns.get(i);
      consumer.startField(column.name(), i);
      switch (column.type()) {
        case LONG -> consumer.addLong(((Number) value).longValue());
        case DOUBLE -> consumer.addDouble(((Number) value).doubleValue());
        case BOOLEAN -> consumer.addBoolean((Boolean) value);
        case STRING -> consumer.addBinary(Binary.fromString(value.toString()));
      }
      consumer.endField(column.name(), i);
    }
    consumer.endMessage();
    rowsInGroup++;
    rows++;
    if (rowsInGroup == rowsPerGroup) {
      finishGroup();
    }
  }

  private void startGroup() {
    chunks = new LinkedHashMap<>();
    for (ColumnDescriptor column : schema.getColumns()) {
      chunks.put(column, new ColumnChunkBuffer(column, codec));
    }
    columnStore = properties.newColumnWriteStore(schema, chunks::get);
    MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
    consumer = io.getRecordWriter(columnStore);
    rowsInGroup = 0;
  }

  private void finishGroup() throws IOException {
    consumer.flush();
    columnStore.flush();
    long start = out.position;
    List<ColumnChunk> written = new ArrayList<>();
    long uncompressed = 0;
    for (ColumnDescriptor column : schema.getColumns()) {
      ColumnChunkBuffer chunk = chunks.get(column);
      written.add(chunk.writeTo(out, out.position));
      uncompressed += chunk.uncompressedBytes();
    }
    RowGroup group = new RowGroup(written, uncompressed, rowsInGroup);
    group.setFile_offset(start);
    group.setTotal_compressed_size(out.position - start);
    rowGroups.add(group);
    columnStore.close();
    consumer = null;
    columnStore = null;
    chunks = null;
  }

  /** Writes the last row group and the footer, and closes the stream. */
  @Override
  public void close() throws IOException {
    if (consumer != null && rowsInGroup > 0) {
      finishGroup();
    }
    writeFooter(new FileMetaData(1, ParquetSchemas.toFooter(schema), rows, rowGroups), out);
    out.close();
  }

  /** Writes {@code metadata} as a file's footer: itself, its length and the closing marker. */
  static void writeFooter(FileMetaData metadata, OutputStream out) throws IOException {
    metadata.setCreated_by("kiln");
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    Util.writeFileMetaData(metadata, footer);
    footer.writeTo(out);
    int length = footer.size();
    out.write(
        new byte[] {
          (byte) length, (byte) (length >> 8), (byte) (length >> 16), (byte) (length >> 24)
        });
    out.write(ParquetFooter.MAGIC);
  }

  /** Counts the bytes written, for the offsets the footer records. */
  private static final class CountingStream extends FilterOutputStream {
    private long position;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      position++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
      position += length;
    }
  }
}
