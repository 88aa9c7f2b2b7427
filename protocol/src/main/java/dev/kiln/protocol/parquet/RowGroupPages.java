package dev.kiln.protocol.parquet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.Util;

/**
 * The pages of one row group, read from its bytes and decompressed, for Parquet's column readers.
 * Not thread-safe.
 */
final class RowGroupPages implements PageReadStore {
  private final Map<ColumnDescriptor, ChunkPages> chunks;
  private final long rows;

  private RowGroupPages(Map<ColumnDescriptor, ChunkPages> chunks, long rows) {
    this.chunks = chunks;
    this.rows = rows;
  }

  /**
   * The pages of row group {@code span} of {@code layout}, from {@code bytes} (the file's bytes
   * {@code [span.start(), span.end())}).
   *
   * @throws BadParquetException when a page header or page does not read
   */
  static RowGroupPages read(ParquetLayout layout, RowGroupSpan span, byte[] bytes)
      throws BadParquetException {
    List<ColumnDescriptor> columns = layout.schema().getColumns();
    List<ColumnMetaData> metadata = layout.columnChunks(span.index());
    Map<ColumnDescriptor, ChunkPages> chunks = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      ColumnMetaData column = metadata.get(i);
      int offset = (int) (ParquetLayout.chunkStart(column) - span.start());
      int length = (int) column.getTotal_compressed_size();
      try {
        chunks.put(columns.get(i), chunk(column, bytes, offset, length));
      } catch (PageChecksum.PageChecksumException e) {
        throw new BadParquetException(
            "has a page in column "
                + String.join(".", column.getPath_in_schema())
                + " of row group "
                + span.index()
                + " whose bytes do not match its checksum ("
                + e.getMessage()
                + "): the file is damaged; write it again and upload it",
            e);
      } catch (IOException | RuntimeException e) {
        if (e instanceof BadParquetException bad) {
          throw bad;
        }
        throw new BadParquetException(
            "has a column chunk ("
                + String.join(".", column.getPath_in_schema())
                + " in row group "
                + span.index()
                + ") whose pages do not read ("
                + e.getMessage()
                + "): the file is damaged; write it again and upload it",
            e);
      }
    }
    return new RowGroupPages(chunks, span.rows());
  }

  private static ChunkPages chunk(ColumnMetaData column, byte[] bytes, int offset, int length)
      throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(bytes, offset, length);
    DictionaryPage dictionary = null;
    Deque<DataPage> pages = new ArrayDeque<>();
    long values = 0;
    int pageNumber = 0;
    while (values < column.getNum_values() && in.available() > 0) {
      PageHeader header = Util.readPageHeader(in);
      byte[] body = in.readNBytes(header.getCompressed_page_size());
      if (body.length != header.getCompressed_page_size()) {
        throw new IOException("a page runs past the end of its column chunk");
      }
      if (header.isSetCrc()) {
        PageChecksum.verify(header, body, pageNumber);
      }
      pageNumber++;
      switch (header.getType()) {
        case DICTIONARY_PAGE -> {
          byte[] plain =
              ParquetCodecs.decompress(column.getCodec(), body, header.getUncompressed_page_size());
          dictionary =
              new DictionaryPage(
                  BytesInput.from(plain),
                  header.getUncompressed_page_size(),
                  header.getDictionary_page_header().getNum_values(),
                  encoding(header.getDictionary_page_header().getEncoding()));
        }
        case DATA_PAGE -> {
          DataPageHeader data = header.getData_page_header();
          byte[] plain =
              ParquetCodecs.decompress(column.getCodec(), body, header.getUncompressed_page_size());
          pages.add(
              new DataPageV1(
                  BytesInput.from(plain),
                  data.getNum_values(),
                  header.getUncompressed_page_size(),
                  null,
                  encoding(data.getRepetition_level_encoding()),
                  encoding(data.getDefinition_level_encoding()),
                  encoding(data.getEncoding())));
          values += data.getNum_values();
        }
        case DATA_PAGE_V2 -> {
          pages.add(pageV2(column, header, body));
          values += header.getData_page_header_v2().getNum_values();
        }
        default -> {
          // index pages and unknown kinds carry no values
        }
      }
    }
    if (values != column.getNum_values()) {
      throw new IOException(
          "it holds " + values + " values where its metadata says " + column.getNum_values());
    }
    return new ChunkPages(dictionary, pages, values);
  }

  private static DataPage pageV2(ColumnMetaData column, PageHeader header, byte[] body)
      throws BadParquetException {
    DataPageHeaderV2 v2 = header.getData_page_header_v2();
    int levels = v2.getRepetition_levels_byte_length() + v2.getDefinition_levels_byte_length();
    byte[] repetition =
        java.util.Arrays.copyOfRange(body, 0, v2.getRepetition_levels_byte_length());
    byte[] definition =
        java.util.Arrays.copyOfRange(body, v2.getRepetition_levels_byte_length(), levels);
    byte[] data = java.util.Arrays.copyOfRange(body, levels, body.length);
    if (!v2.isSetIs_compressed() || v2.isIs_compressed()) {
      data =
          ParquetCodecs.decompress(
              column.getCodec(), data, header.getUncompressed_page_size() - levels);
    }
    return DataPageV2.uncompressed(
        v2.getNum_rows(),
        v2.getNum_nulls(),
        v2.getNum_values(),
        BytesInput.from(repetition),
        BytesInput.from(definition),
        encoding(v2.getEncoding()),
        BytesInput.from(data),
        null);
  }

  private static Encoding encoding(org.apache.parquet.format.Encoding encoding) {
    return Encoding.valueOf(encoding.name());
  }

  @Override
  public PageReader getPageReader(ColumnDescriptor descriptor) {
    ChunkPages pages = chunks.get(descriptor);
    if (pages == null) {
      throw new IllegalArgumentException("no column " + descriptor + " in this row group");
    }
    return pages;
  }

  @Override
  public long getRowCount() {
    return rows;
  }

  private static final class ChunkPages implements PageReader {
    private final DictionaryPage dictionary;
    private final Deque<DataPage> pages;
    private final long values;

    ChunkPages(DictionaryPage dictionary, Deque<DataPage> pages, long values) {
      this.dictionary = dictionary;
      this.pages = pages;
      this.values = values;
    }

    @Override
    public DictionaryPage readDictionaryPage() {
      return dictionary;
    }

    @Override
    public long getTotalValueCount() {
      return values;
    }

    @Override
    public DataPage readPage() {
      return pages.poll();
    }
  }
}
