package dev.kiln.agent;

import dev.kiln.agent.processor.ModelFiles;
import dev.kiln.agent.processor.ProcessorException;
import dev.kiln.protocol.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads model zips from the uploads bucket and unpacks each once into {@code
 * cacheDir/{contentHash}}, so an agent fetches a model once whatever the number of shards. A model
 * is unpacked into a temporary sibling and renamed into place complete (with a {@code .complete}
 * marker), so agent processes sharing the cache never see or delete a half-unpacked model, and a
 * crash mid-unpack leaves only a temporary directory behind. Thread-safe, also across processes.
 */
public final class S3ModelFiles implements ModelFiles {
  private static final Logger LOG = LoggerFactory.getLogger(S3ModelFiles.class);
  private static final String COMPLETE = ".complete";
  private static final long MAX_UNPACKED_BYTES = 8L * 1024 * 1024 * 1024;

  private final ObjectStore store;
  private final String bucket;
  private final Path cacheDir;
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

  public S3ModelFiles(ObjectStore store, String bucket, Path cacheDir) {
    this.store = store;
    this.bucket = bucket;
    this.cacheDir = cacheDir;
  }

  @Override
  public Path directory(String modelKey, String modelEtag) throws ProcessorException {
    if (modelKey == null || modelKey.isBlank()) {
      throw ProcessorException.fatal("the job names no model; upload a zipped SavedModel");
    }
    String hash = cacheName(modelEtag == null || modelEtag.isBlank() ? modelKey : modelEtag);
    Path target = cacheDir.resolve(hash);
    synchronized (locks.computeIfAbsent(hash, h -> new Object())) {
      if (Files.exists(target.resolve(COMPLETE))) {
        return target;
      }
      long started = System.nanoTime();
      try (InputStream in = store.open(bucket, modelKey)) {
        unpack(in, target);
      } catch (ZipException | IllegalStateException e) {
        throw ProcessorException.fatal(
            "the model " + modelKey + " is not a valid zip file: " + e.getMessage());
      } catch (IOException | UncheckedIOException e) {
        throw new ProcessorException(
            "downloading the model " + modelKey + " failed: " + e.getMessage(), true, e);
      } catch (RuntimeException e) {
        throw new ProcessorException(
            "downloading the model " + modelKey + " failed: " + e.getMessage(), true, e);
      }
      LOG.info(
          "Model {} unpacked into {} in {} ms",
          modelKey,
          target,
          (System.nanoTime() - started) / 1_000_000);
      return target;
    }
  }

  /**
   * Unpacks a zip stream into {@code target}. The zip is unpacked into a temporary sibling
   * directory that is then renamed into place atomically, so a directory at {@code target} is
   * always complete and never deleted under another process (agents may share the cache). When
   * another process put a complete directory there first, that one is kept and this one dropped. An
   * incomplete directory left by an older layout is moved aside and replaced.
   *
   * @throws ZipException when the stream is not a zip, or is empty, or names a path outside target
   */
  public static void unpack(InputStream in, Path target) throws IOException {
    Path parent = target.toAbsolutePath().normalize().getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".unpack-");
    try {
      extract(in, staging);
      Files.createFile(staging.resolve(COMPLETE));
      moveIntoPlace(staging, target);
    } finally {
      deleteTree(staging);
    }
  }

  private static void extract(InputStream in, Path directory) throws IOException {
    Path root = directory.toAbsolutePath().normalize();
    long total = 0;
    int entries = 0;
    try (ZipInputStream zip = new ZipInputStream(in)) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        entries++;
        Path path = root.resolve(entry.getName()).normalize();
        if (!path.startsWith(root) || path.equals(root.resolve(COMPLETE))) {
          throw new ZipException("the zip entry " + entry.getName() + " points outside the model");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
          continue;
        }
        Files.createDirectories(path.getParent());
        total += Files.copy(zip, path, StandardCopyOption.REPLACE_EXISTING);
        if (total > MAX_UNPACKED_BYTES) {
          throw new ZipException("the model unpacks to more than " + MAX_UNPACKED_BYTES + " bytes");
        }
      }
    }
    if (entries == 0) {
      throw new ZipException("the file holds no zip entries");
    }
  }

  /**
   * Renames the complete {@code staging} directory to {@code target}; a complete directory already
   * there counts as success. Renaming onto an empty directory replaces it; a non-empty incomplete
   * one is first renamed aside (atomically, so no reader sees it half deleted) and deleted.
   */
  private static void moveIntoPlace(Path staging, Path target) throws IOException {
    for (int attempt = 0; attempt < 3; attempt++) {
      if (Files.exists(target.resolve(COMPLETE))) {
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
      if (Files.exists(target.resolve(COMPLETE))) {
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
    if (!Files.exists(target.resolve(COMPLETE))) {
      throw new IOException("could not move the unpacked model into " + target);
    }
  }

  static String cacheName(String contentHash) {
    return contentHash.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
