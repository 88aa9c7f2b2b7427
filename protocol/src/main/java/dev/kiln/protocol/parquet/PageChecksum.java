package dev.kiln.protocol.parquet;

import java.util.zip.CRC32;
import org.apache.parquet.format.PageHeader;

/**
 * A page's optional checksum, as Parquet defines it: the CRC-32 of the page's bytes as stored
 * (compressed, after its header), kept in the header as a signed 32-bit number. Kiln writes one on
 * every page and checks it wherever a page header has one. Stateless.
 */
final class PageChecksum {
  private PageChecksum() {}

  /** The checksum of a page whose stored bytes are {@code body}. */
  static int of(byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(body);
    return (int) crc.getValue();
  }

  /**
   * @throws PageChecksumException when {@code body} is not what {@code header}'s checksum says
   */
  static void verify(PageHeader header, byte[] body, int pageNumber) throws PageChecksumException {
    int actual = of(body);
    if (actual != header.getCrc()) {
      throw new PageChecksumException(
          "page "
              + pageNumber
              + " of the chunk, "
              + header.getType()
              + ", has CRC-32 "
              + Integer.toHexString(actual)
              + " where its header says "
              + Integer.toHexString(header.getCrc()));
    }
  }

  /** A page whose bytes do not match its checksum. */
  static final class PageChecksumException extends java.io.IOException {
    PageChecksumException(String message) {
      super(message);
    }
  }
}
