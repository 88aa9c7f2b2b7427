package dev.kiln.cli.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Packs a folder into a POSIX tar (pax names where a path is longer than ustar allows), so a folder
 * of images or audio uploads as one archive whose every file is one record. The archive is the same
 * bytes for the same folder (files sorted by path, no owners, no times) and takes the folder's
 * newest modification time, so an interrupted upload of it resumes. Stateless.
 */
final class FolderTar {
  private static final int BLOCK = 512;

  private FolderTar() {}

  /** Packs {@code folder} into {@code <cacheDir>/<folder's name>.tar} and answers that file. */
  static Path pack(Path folder, Path cacheDir) throws IOException {
    Path root = folder.toAbsolutePath().normalize();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException(folder + " holds no files");
    }
    Path dir = cacheDir.resolve(sha256(root.toString()).substring(0, 32));
    Files.createDirectories(dir);
    Path tar = dir.resolve(root.getFileName() + ".tar");
    long newest = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tar), 1 << 16)) {
      for (Path file : files) {
        String name = root.relativize(file).toString().replace('\\', '/');
        long size = Files.size(file);
        newest = Math.max(newest, Files.getLastModifiedTime(file).toMillis());
        if (name.getBytes(StandardCharsets.UTF_8).length > 100) {
          byte[] pax = paxRecord("path", name);
          out.write(header("PaxHeaders/" + Math.abs(name.hashCode()), pax.length, 'x'));
          out.write(pax);
          pad(out, pax.length);
        }
        out.write(header(name, size, '0'));
        try (InputStream in = Files.newInputStream(file)) {
          long copied = in.transferTo(out);
          if (copied != size) {
            throw new IOException(file + " changed while it was being packed");
          }
        }
        pad(out, size);
      }
      out.write(new byte[2 * BLOCK]);
    }
    Files.setLastModifiedTime(tar, FileTime.fromMillis(newest));
    return tar;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static byte[] header(String name, long size, char type) throws IOException {
    if (size > 077777777777L) {
      throw new IOException("a file of " + size + " bytes is too large for a folder upload");
    }
    byte[] header = new byte[BLOCK];
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(nameBytes, 0, header, 0, Math.min(100, nameBytes.length));
    octal(header, 100, 8, 0644);
    octal(header, 108, 8, 0);
    octal(header, 116, 8, 0);
    octal(header, 124, 12, size);
    octal(header, 136, 12, 0);
    header[156] = (byte) type;
    System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 8);
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xFF;
    }
    octal(header, 148, 7, sum);
    return header;
  }

  /** {@code length - 1} octal digits and a NUL. */
  private static void octal(byte[] header, int at, int length, long value) {
    String digits = Long.toOctalString(value);
    String padded = "0".repeat(Math.max(0, length - 1 - digits.length())) + digits;
    System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, header, at, length - 1);
    header[at + length - 1] = 0;
  }

  /** One pax record, {@code "<length> <key>=<value>\n"}, its length counting itself. */
  private static byte[] paxRecord(String key, String value) {
    int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
    int length = body + String.valueOf(body).length();
    if (String.valueOf(length).length() != String.valueOf(body).length()) {
      length++;
    }
    return (length + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void pad(OutputStream out, long size) throws IOException {
    int rest = (int) (size % BLOCK);
    if (rest != 0) {
      out.write(new byte[BLOCK - rest]);
    }
  }
}
