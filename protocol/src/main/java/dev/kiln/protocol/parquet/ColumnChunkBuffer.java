package dev.kiln.protocol.parquet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.statistics.geospatial.GeospatialStatistics;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Util;

/**
 * The pages of one column of the row group being written, compressed and held in memory until the
 * row group is written out: the dictionary page first, then the data pages, each with its checksum
 * ({@link PageChecksum}). Not thread-safe.
 */
final class ColumnChunkBuffer implements PageWriter {
  private final ColumnDescriptor column;
  private final CompressionCodec codec;
  private final ByteArrayOutputStream dictionary = new ByteArrayOutputStream();
  private final ByteArrayOutputStream pages = new ByteArrayOutputStream();
  private final Set<org.apache.parquet.format.Encoding> encodings = new LinkedHashSet<>();
  private long values;
  private long uncompressedBytes;

  ColumnChunkBuffer(ColumnDescriptor column, CompressionCodec codec) {
    this.column = column;
    this.codec = codec;
  }

  @Override
  @Deprecated
  public void writePage(
      BytesInput bytes,
      int valueCount,
      Statistics<?> statistics,
      Encoding rlEncoding,
      Encoding dlEncoding,
      Encoding valuesEncoding)
      throws IOException {
    writePage(bytes, valueCount, -1, statistics, rlEncoding, dlEncoding, valuesEncoding);
  }

  @Override
  @Deprecated
  public void writePage(
      BytesInput bytes,
      int valueCount,
      int rowCount,
      Statistics<?> statistics,
      SizeStatistics sizeStatistics,
      Encoding rlEncoding,
      Encoding dlEncoding,
      Encoding valuesEncoding)
      throws IOException {
    writePage(bytes, valueCount, rowCount, statistics, rlEncoding, dlEncoding, valuesEncoding);
  }

  @Override
  public void writePage(
      BytesInput bytes,
      int valueCount,
      int rowCount,
      Statistics<?> statistics,
      SizeStatistics sizeStatistics,
      GeospatialStatistics geospatialStatistics,
      Encoding rlEncoding,
      Encoding dlEncoding,
      Encoding valuesEncoding)
      throws IOException {
    writePage(bytes, valueCount, rowCount, statistics, rlEncoding, dlEncoding, valuesEncoding);
  }

  @Override
  public void writePage(
      BytesInput bytes,
      int valueCount,
      int rowCount,
      Statistics<?> statistics,
      Encoding rlEncoding,
      Encoding dlEncoding,
      Encoding valuesEncoding)
      throws IOException {
    byte[] plain = bytes.toByteArray();
    byte[] compressed = ParquetCodecs.compress(codec, plain);
    PageHeader header = new PageHeader(PageType.DATA_PAGE, plain.length, compressed.length);
    header.setCrc(PageChecksum.of(compressed));
    header.setData_page_header(
        new DataPageHeader(
            valueCount, encoding(valuesEncoding), encoding(dlEncoding), encoding(rlEncoding)));
    int before = pages.size();
    Util.writePageHeader(header, pages);
    uncompressedBytes += pages.size() - before + plain.length;
    pages.write(compressed);
    values += valueCount;
    encodings.add(encoding(rlEncoding));
    encodings.add(encoding(dlEncoding));
    encodings.add(encoding(valuesEncoding));
  }

  @Override
  public void writePageV2(
      int rowCount,
      int nullCount,
      int valueCount,
      BytesInput repetitionLevels,
      BytesInput definitionLevels,
      Encoding dataEncoding,
      BytesInput data,
      Statistics<?> statistics) {
    throw new UnsupportedOperationException("Kiln writes version 1 data pages");
  }

  @Override
  public void writeDictionaryPage(DictionaryPage page) throws IOException {
    byte[] plain = page.getBytes().toByteArray();
    byte[] compressed = ParquetCodecs.compress(codec, plain);
    PageHeader header = new PageHeader(PageType.DICTIONARY_PAGE, plain.length, compressed.length);
    header.setCrc(PageChecksum.of(compressed));
    header.setDictionary_page_header(
        new DictionaryPageHeader(page.getDictionarySize(), encoding(page.getEncoding())));
    dictionary.reset();
    Util.writePageHeader(header, dictionary);
    uncompressedBytes += dictionary.size() + plain.length;
    dictionary.write(compressed);
    encodings.add(encoding(page.getEncoding()));
  }

  @Override
  public long getMemSize() {
    return dictionary.size() + pages.size();
  }

  @Override
  public long allocatedSize() {
    return getMemSize();
  }

  @Override
  public String memUsageString(String prefix) {
    return prefix + " " + column + " " + getMemSize() + " bytes";
  }

  /** The bytes this chunk takes in the file. */
  long compressedBytes() {
    return dictionary.size() + pages.size();
  }

  long uncompressedBytes() {
    return uncompressedBytes;
  }

  /**
   * Writes the chunk at {@code offset} of the file (the stream's position) and answers its footer
   * entry.
   */
  ColumnChunk writeTo(java.io.OutputStream out, long offset) throws IOException {
    dictionary.writeTo(out);
    pages.writeTo(out);
    ColumnMetaData metadata =
        new ColumnMetaData(
            ParquetSchemas.footerType(column.getPrimitiveType().getPrimitiveTypeName()),
            List.copyOf(encodings),
            List.of(column.getPath()),
            codec,
            values,
            uncompressedBytes,
            compressedBytes(),
            offset + dictionary.size());
    if (dictionary.size() > 0) {
      metadata.setDictionary_page_offset(offset);
    }
    ColumnChunk chunk = new ColumnChunk(offset);
    chunk.setMeta_data(metadata);
    return chunk;
  }

  private static org.apache.parquet.format.Encoding encoding(Encoding encoding) {
    return org.apache.parquet.format.Encoding.valueOf(encoding.name());
  }
}
