package dev.kiln.protocol.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.protocol.parquet.ParquetRowWriter.Codec;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;

class PageChecksumTest {
  /** Where the stored bytes of the first page of {@code column} in row group {@code group} lie. */
  private static int[] firstPageBody(byte[] file, int group, int column) throws Exception {
    ParquetLayout layout = ParquetFooter.read(ParquetRowsTest.ranges(file), file.length);
    List<ColumnMetaData> chunks = layout.columnChunks(group);
    int start = (int) ParquetLayout.chunkStart(chunks.get(column));
    ByteArrayInputStream in = new ByteArrayInputStream(file, start, file.length - start);
    PageHeader header = Util.readPageHeader(in);
    int bodyStart = file.length - in.available();
    assertThat(header.isSetCrc()).as("Kiln writes a checksum on every page").isTrue();
    return new int[] {bodyStart, bodyStart + header.getCompressed_page_size()};
  }

  /** The last byte of a plain page's values changed: it would decode, to a wrong value. */
  @Test
  void aPageWhoseByteChangedFailsNamingItsColumnAndRowGroup() throws Exception {
    byte[] file = ParquetRowsTest.parquet(500, 100, Codec.UNCOMPRESSED);
    int[] body = firstPageBody(file, 2, 2);
    byte[] damaged = file.clone();
    damaged[body[1] - 1] ^= 0x01;

    long third =
        ParquetFooter.read(ParquetRowsTest.ranges(file), file.length).rowGroups().get(2).start();
    assertThat(ParquetRowsTest.readAll(damaged, 0, third)).as("the groups before it").hasSize(200);
    assertThatThrownBy(() -> ParquetRowsTest.readAll(damaged, 0, damaged.length))
        .isInstanceOf(BadParquetException.class)
        .hasMessageContaining("has a page in column score of row group 2")
        .hasMessageContaining("do not match its checksum")
        .hasMessageContaining("write it again and upload it");
    assertThat(ParquetRowsTest.readAll(file, 0, file.length)).hasSize(500);
  }
}
