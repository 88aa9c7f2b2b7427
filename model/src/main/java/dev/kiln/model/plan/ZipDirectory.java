package dev.kiln.model.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads the files of a zip archive from its central directory, with two or three range reads at its
 * end (the end record, the Zip64 end record when there is one, the directory), never the files
 * themselves. Directories are left out; the entries come in the order of their offsets. Stateless.
 */
public final class ZipDirectory {
  private static final int END_SIGNATURE = 0x06054b50;
  private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
  private static final int ZIP64_END_SIGNATURE = 0x06064b50;
  private static final int ENTRY_SIGNATURE = 0x02014b50;
  private static final int END_BYTES = 22;
  private static final int MAX_COMMENT = 0xFFFF;
  private static final long U32_MAX = 0xFFFFFFFFL;

  private ZipDirectory() {}

  /**
   * The files of the zip archive of {@code size} bytes that {@code reader} reads.
   *
   * @throws BadArchiveException when it is no zip archive, or one this reader cannot read
   */
  public static List<ArchiveEntry> read(RangeReader reader, long size) throws IOException {
    int tailLength = (int) Math.min(size, END_BYTES + MAX_COMMENT + 20L);
    long tailStart = size - tailLength;
    byte[] tail = reader.read(tailStart, tailLength);
    int end = findEnd(tail);
    if (end < 0) {
      throw new BadArchiveException("it is not a zip archive (no end of central directory)");
    }
    long entries = u16(tail, end + 10);
    long directorySize = u32(tail, end + 12);
    long directoryOffset = u32(tail, end + 16);
    if (entries == 0xFFFF || directorySize == U32_MAX || directoryOffset == U32_MAX) {
      int locator = end - 20;
      if (locator < 0 || i32(tail, locator) != ZIP64_LOCATOR_SIGNATURE) {
        throw new BadArchiveException("its Zip64 end of central directory is missing");
      }
      byte[] zip64 = reader.read(i64(tail, locator + 8), 56);
      if (zip64.length < 56 || i32(zip64, 0) != ZIP64_END_SIGNATURE) {
        throw new BadArchiveException("its Zip64 end of central directory is damaged");
      }
      entries = i64(zip64, 32);
      directorySize = i64(zip64, 40);
      directoryOffset = i64(zip64, 48);
    }
    if (directorySize > Integer.MAX_VALUE - 16 || directoryOffset + directorySize > size) {
      throw new BadArchiveException("its central directory lies outside the file");
    }
    byte[] directory = reader.read(directoryOffset, (int) directorySize);
    List<ArchiveEntry> files = parse(directory, entries);
    files.sort(Comparator.comparingLong(ArchiveEntry::offset));
    return files;
  }

  private static int findEnd(byte[] tail) {
    for (int at = tail.length - END_BYTES; at >= 0; at--) {
      if (i32(tail, at) == END_SIGNATURE && at + END_BYTES + u16(tail, at + 20) <= tail.length) {
        return at;
      }
    }
    return -1;
  }

  private static List<ArchiveEntry> parse(byte[] directory, long entries)
      throws BadArchiveException {
    List<ArchiveEntry> files = new ArrayList<>((int) Math.min(entries, 1 << 16));
    int at = 0;
    for (long index = 0; index < entries; index++) {
      if (at + 46 > directory.length || i32(directory, at) != ENTRY_SIGNATURE) {
        throw new BadArchiveException("its central directory is damaged at entry " + index);
      }
      int method = u16(directory, at + 10);
      long storedSize = u32(directory, at + 20);
      long size = u32(directory, at + 24);
      int nameLength = u16(directory, at + 28);
      int extraLength = u16(directory, at + 30);
      int commentLength = u16(directory, at + 32);
      long offset = u32(directory, at + 42);
      if (at + 46 + nameLength + extraLength > directory.length) {
        throw new BadArchiveException("its central directory is damaged at entry " + index);
      }
      String name = new String(directory, at + 46, nameLength, StandardCharsets.UTF_8);
      int extra = at + 46 + nameLength;
      int extraEnd = extra + extraLength;
      while (extra + 4 <= extraEnd) {
        int id = u16(directory, extra);
        int length = u16(directory, extra + 2);
        if (id == 0x0001) {
          int value = extra + 4;
          if (size == U32_MAX && value + 8 <= extraEnd) {
            size = i64(directory, value);
            value += 8;
          }
          if (storedSize == U32_MAX && value + 8 <= extraEnd) {
            storedSize = i64(directory, value);
            value += 8;
          }
          if (offset == U32_MAX && value + 8 <= extraEnd) {
            offset = i64(directory, value);
          }
        }
        extra += 4 + length;
      }
      if (!name.endsWith("/")) {
        files.add(new ArchiveEntry(offset, name, storedSize, size, method));
      }
      at = extraEnd + commentLength;
    }
    return files;
  }

  static int u16(byte[] bytes, int at) {
    return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8;
  }

  static long u32(byte[] bytes, int at) {
    return i32(bytes, at) & U32_MAX;
  }

  static int i32(byte[] bytes, int at) {
    return (bytes[at] & 0xFF)
        | (bytes[at + 1] & 0xFF) << 8
        | (bytes[at + 2] & 0xFF) << 16
        | (bytes[at + 3] & 0xFF) << 24;
  }

  static long i64(byte[] bytes, int at) {
    return u32(bytes, at) | u32(bytes, at + 4) << 32;
  }
}
