package dev.kiln.agent;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Unpacks an uploaded model zip, which is untrusted. The limits hold while the zip streams: every
 * buffer is counted before it is written, so a deflate bomb stops at the limit instead of after its
 * entry has filled the disk, and an entry naming a path outside the model is refused before
 * anything is written for it. A model is unpacked into a temporary sibling and renamed into place
 * complete (with a {@value #COMPLETE} marker), so agent processes sharing the cache never see or
 * delete a half-unpacked model, and a crash mid-unpack leaves only a temporary directory behind.
 * Stateless.
 */
public final class ModelZip {
  /** The marker written last into a complete model directory. */
  public static final String COMPLETE = ".complete";

  private static final int BUFFER_BYTES = 64 * 1024;

  /**
   * How far a model zip may unpack.
   *
   * @param maxBytes most bytes all entries unpack to together
   * @param maxEntries most entries (files and directories)
   * @param maxRatio most bytes unpacked per byte of zip read, once past {@code ratioFreeBytes}
   * @param ratioFreeBytes bytes a zip may unpack to whatever its ratio (small files compress well)
   */
  public record Limits(long maxBytes, int maxEntries, int maxRatio, long ratioFreeBytes) {
    /** 8 GiB, 10,000 entries, 100:1 past 64 MiB (trained weights compress to about 1.1:1). */
    public static final Limits DEFAULT = new Limits(8L << 30, 10_000, 100, 64L << 20);

    public Limits {
      if (maxBytes < 1 || maxEntries < 1 || maxRatio < 1 || ratioFreeBytes < 0) {
        throw new IllegalArgumentException("zip limits must be positive");
      }
    }
  }

  /** A zip refused for its size, entry count or compression ratio. */
  public static final class LimitExceeded extends ZipException {
    LimitExceeded(String message) {
      super(message);
    }
  }

  private ModelZip() {}

  /**
   * Unpacks a zip stream into {@code target}, which ends up complete or untouched. When another
   * process put a complete directory there first, that one is kept and this one dropped; an
   * incomplete directory left by a crash is moved aside and replaced.
   *
   * @throws LimitExceeded when the zip unpacks beyond {@code limits}
   * @throws ZipException when the stream is not a zip, is empty, or names a path outside target
   */
  public static void unpack(InputStream in, Path target, Limits limits) throws IOException {
    Path staging = staging(target.toAbsolutePath().normalize().getParent(), target);
    try {
      extract(in, staging, limits);
      install(staging, target);
    } finally {
      deleteTree(staging);
    }
  }

  /** A new empty directory next to where {@code target} will be, for {@link #extract}. */
  static Path staging(Path parent, Path target) throws IOException {
    Files.createDirectories(parent);
    return Files.createTempDirectory(parent, "." + target.getFileName() + ".unpack-");
  }

  /**
   * Extracts the zip entries of {@code in} into the empty {@code directory}, reading the stream no
   * further than the zip's last entry (the caller may read the rest, such as the zip's central
   * directory, for a checksum) and not closing it.
   */
  static void extract(InputStream in, Path directory, Limits limits) throws IOException {
    Path root = directory.toAbsolutePath().normalize();
    CountingInputStream counted = new CountingInputStream(in);
    // Not closed: closing a ZipInputStream closes the stream under it. Ending the inflater is
    // left to the garbage collector.
    ZipInputStream zip = new ZipInputStream(counted);
    byte[] buffer = new byte[BUFFER_BYTES];
    long unpacked = 0;
    int entries = 0;
    ZipEntry entry;
    while ((entry = zip.getNextEntry()) != null) {
      entries++;
      if (entries > limits.maxEntries()) {
        throw new LimitExceeded("the zip holds more than " + limits.maxEntries() + " entries");
      }
      Path path = inside(root, entry.getName());
      if (entry.isDirectory()) {
        Files.createDirectories(path);
        continue;
      }
      Files.createDirectories(path.getParent());
      try (OutputStream out =
          Files.newOutputStream(
              path,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        int read;
        while ((read = zip.read(buffer)) > 0) {
          unpacked += read;
          check(unpacked, counted.count(), limits);
          out.write(buffer, 0, read);
        }
      }
    }
    if (entries == 0) {
      throw new ZipException("the file holds no zip entries");
    }
  }

  private static void check(long unpacked, long read, Limits limits) throws LimitExceeded {
    if (unpacked > limits.maxBytes()) {
      throw new LimitExceeded("it unpacks to more than " + limits.maxBytes() + " bytes");
    }
    if (unpacked > limits.ratioFreeBytes() && unpacked > (double) limits.maxRatio() * read) {
      throw new LimitExceeded(
          "it unpacks to more than "
              + limits.maxRatio()
              + " times its size (a zip bomb?): "
              + unpacked
              + " bytes from the first "
              + read);
    }
  }

  /** Where entry {@code name} goes: a path under {@code root} (not the marker), or refused. */
  private static Path inside(Path root, String name) throws ZipException {
    if (name.isEmpty()
        || name.indexOf('\0') >= 0
        || name.startsWith("/")
        || name.startsWith("\\")) {
      throw new ZipException("the zip entry " + printable(name) + " points outside the model");
    }
    Path path = root.resolve(name).normalize();
    if (!path.startsWith(root) || path.equals(root) || path.equals(root.resolve(COMPLETE))) {
      throw new ZipException("the zip entry " + printable(name) + " points outside the model");
    }
    return path;
  }

  private static String printable(String name) {
    String shown = name.replaceAll("\\p{Cntrl}", "?");
    return shown.length() > 200 ? shown.substring(0, 200) + "..." : shown;
  }

  /**
   * Marks the extracted {@code staging} directory complete and renames it to {@code target}; a
   * complete directory already there counts as success (and {@code staging} is left for the caller
   * to delete). Renaming onto an empty directory replaces it; a non-empty incomplete one is first
   * renamed aside (atomically, so no reader sees it half deleted) and deleted.
   */
  static void install(Path staging, Path target) throws IOException {
    Files.createFile(staging.resolve(COMPLETE));
    for (int attempt = 0; attempt < 3; attempt++) {
      if (isComplete(target)) {
        return;
      }
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        return;
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // handled below
      } catch (FileSystemException e) {
        if (!Files.isDirectory(target)) {
          throw e;
        }
      }
      if (isComplete(target)) {
        return;
      }
      Path aside =
          target.resolveSibling("." + target.getFileName() + ".stale-" + UUID.randomUUID());
      try {
        Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException e) {
        continue;
      }
      deleteTree(aside);
    }
    if (!isComplete(target)) {
      throw new IOException("could not move the unpacked model into " + target);
    }
  }

  /** Whether {@code directory} holds a completely unpacked model. */
  public static boolean isComplete(Path directory) {
    return Files.exists(directory.resolve(COMPLETE));
  }

  static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Counts the bytes read through it. Not thread-safe. */
  static final class CountingInputStream extends FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
