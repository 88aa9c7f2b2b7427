package dev.kiln.model.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Walks the headers of a tar archive (POSIX ustar, pax and GNU long names) from a file's first
 * header on, reading headers only: the caller reads or skips each file's data. Directories, links
 * and other non-files are passed over; a file's pax or GNU long-name header belongs to it, so its
 * {@link ArchiveEntry#offset} is where that header starts. Not thread-safe.
 */
public final class TarWalker {
  private static final int BLOCK = 512;

  private final RangeReader reader;
  private long position;

  /**
   * @param reader the archive, read forward only when {@code reader} is a stream
   * @param start where the walk begins: 0, or the offset of a file's first header
   */
  public TarWalker(RangeReader reader, long start) {
    this.reader = reader;
    this.position = start;
  }

  /**
   * The next file, or {@code null} at the end of the archive; afterwards its data lies at {@link
   * #dataOffset(ArchiveEntry)}.
   *
   * @throws BadArchiveException when a header is damaged
   */
  public ArchiveEntry next() throws IOException {
    long entryStart = -1;
    String longName = null;
    while (true) {
      long headerAt = position;
      byte[] header = reader.read(headerAt, BLOCK);
      if (header.length < BLOCK || isZero(header)) {
        return null;
      }
      checkSum(header, headerAt);
      long size = number(header, 124, 12, headerAt);
      char type = (char) header[156];
      position = headerAt + BLOCK + padded(size);
      if (entryStart < 0) {
        entryStart = headerAt;
      }
      switch (type) {
        case 'L' -> longName = cString(reader.read(headerAt + BLOCK, (int) size), 0, (int) size);
        case 'x' -> {
          String path = paxPath(reader.read(headerAt + BLOCK, (int) size));
          if (path != null) {
            longName = path;
          }
        }
        case '0', '\0', '7' -> {
          String name = longName != null ? longName : ustarName(header);
          return new ArchiveEntry(entryStart, name, size, size, ArchiveEntry.STORED);
        }
        default -> {
          entryStart = -1;
          longName = null;
        }
      }
    }
  }

  /** Where the data of {@code entry}, just returned by {@link #next()}, starts. */
  public long dataOffset(ArchiveEntry entry) {
    return position - padded(entry.storedSize());
  }

  /** The offset of the header after the last one read. */
  public long position() {
    return position;
  }

  private static long padded(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static void checkSum(byte[] header, long at) throws BadArchiveException {
    long expected = number(header, 148, 8, at);
    long sum = 0;
    long signedSum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xFF;
      signedSum += i >= 148 && i < 156 ? ' ' : header[i];
    }
    // Some old writers summed the bytes as signed; both sums are accepted, as GNU tar does.
    if (sum != expected && signedSum != expected) {
      throw new BadArchiveException(
          "the tar header at byte " + at + " is damaged (its checksum does not match)");
    }
  }

  /** An octal field, or a base-256 one (GNU, for sizes of 8 GiB and more). */
  private static long number(byte[] header, int from, int length, long at)
      throws BadArchiveException {
    if ((header[from] & 0x80) != 0) {
      long value = 0;
      for (int i = from + 1; i < from + length; i++) {
        value = value << 8 | (header[i] & 0xFF);
      }
      return value;
    }
    long value = 0;
    boolean digits = false;
    for (int i = from; i < from + length; i++) {
      byte b = header[i];
      if (b == 0 || (b == ' ' && digits)) {
        break;
      }
      if (b == ' ') {
        continue;
      }
      if (b < '0' || b > '7') {
        throw new BadArchiveException("the tar header at byte " + at + " is not a tar header");
      }
      value = value * 8 + (b - '0');
      digits = true;
    }
    return value;
  }

  private static String ustarName(byte[] header) {
    String name = cString(header, 0, 100);
    boolean ustar =
        header[257] == 'u'
            && header[258] == 's'
            && header[259] == 't'
            && header[260] == 'a'
            && header[261] == 'r';
    String prefix = ustar ? cString(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String cString(byte[] bytes, int from, int length) {
    int end = from;
    while (end < from + length && end < bytes.length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, from, end - from, StandardCharsets.UTF_8);
  }

  /** The {@code path} of a pax extended header ({@code "<length> path=<value>\n"} records). */
  private static String paxPath(byte[] data) {
    int at = 0;
    String path = null;
    while (at < data.length) {
      int space = at;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      int length;
      try {
        length = Integer.parseInt(new String(data, at, space - at, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        return path;
      }
      if (length <= 0 || at + length > data.length) {
        return path;
      }
      String record = new String(data, space + 1, at + length - space - 2, StandardCharsets.UTF_8);
      if (record.startsWith("path=")) {
        path = record.substring("path=".length());
      }
      at += length;
    }
    return path;
  }
}
