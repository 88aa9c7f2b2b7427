package dev.kiln.protocol.parquet;

import dev.kiln.model.plan.RangeReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;

/**
 * Reads the footer of a Parquet file with range requests at its end, never its data: one read of
 * its last 64 KiB, a second only when the footer is larger. Stateless.
 *
 * <p>A Parquet file is {@code PAR1}, the row groups' column chunks, the footer (Thrift compact
 * {@code FileMetaData}), the footer's length (4 bytes, little-endian) and {@code PAR1} again.
 */
public final class ParquetFooter {
  static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ENCRYPTED_MAGIC = "PARE".getBytes(StandardCharsets.US_ASCII);
  private static final int TAIL_BYTES = 64 * 1024;
  private static final String WRITE_AGAIN = "write it again and upload the whole file";

  private ParquetFooter() {}

  /**
   * The layout of the Parquet file of {@code size} bytes that {@code ranges} reads.
   *
   * @throws BadParquetException when the file is not a readable Parquet file
   * @throws IOException when reading failed
   */
  public static ParquetLayout read(RangeReader ranges, long size) throws IOException {
    if (size < 2L * MAGIC.length + 4) {
      throw new BadParquetException(
          "is "
              + size
              + " bytes long, too short to be a Parquet file: it is cut short or empty; "
              + WRITE_AGAIN);
    }
    int tailLength = (int) Math.min(size, TAIL_BYTES);
    byte[] tail = ranges.read(size - tailLength, tailLength);
    if (tail.length < tailLength) {
      throw new IOException("the object ended before its reported size of " + size + " bytes");
    }
    byte[] magic = Arrays.copyOfRange(tail, tailLength - 4, tailLength);
    if (Arrays.equals(magic, ENCRYPTED_MAGIC)) {
      throw new BadParquetException(
          "is an encrypted Parquet file, which Kiln cannot read: write it without encryption");
    }
    if (!Arrays.equals(magic, MAGIC)) {
      throw new BadParquetException(
          "does not end with Parquet's closing marker PAR1: it is cut short or not a Parquet"
              + " file; "
              + WRITE_AGAIN);
    }
    long footerLength = littleEndianInt(tail, tailLength - 8) & 0xffffffffL;
    long dataEnd = size - 8 - footerLength;
    if (footerLength == 0 || dataEnd < MAGIC.length) {
      throw new BadParquetException(
          "names a footer of "
              + footerLength
              + " bytes, which does not fit in the file's "
              + size
              + " bytes: the file is damaged; "
              + WRITE_AGAIN);
    }
    byte[] footer =
        footerLength + 8 <= tailLength
            ? Arrays.copyOfRange(tail, (int) (tailLength - 8 - footerLength), tailLength - 8)
            : ranges.read(dataEnd, (int) footerLength);
    FileMetaData metadata;
    try {
      metadata = Util.readFileMetaData(new ByteArrayInputStream(footer));
    } catch (IOException | RuntimeException e) {
      throw new BadParquetException(
          "has a footer that does not decode ("
              + e.getMessage()
              + "): the file is damaged; "
              + WRITE_AGAIN,
          e);
    }
    return ParquetLayout.of(metadata, dataEnd);
  }

  private static int littleEndianInt(byte[] bytes, int at) {
    return (bytes[at] & 0xff)
        | (bytes[at + 1] & 0xff) << 8
        | (bytes[at + 2] & 0xff) << 16
        | (bytes[at + 3] & 0xff) << 24;
  }
}
