package dev.kiln.agent;

import dev.kiln.agent.processor.ModelFiles;
import dev.kiln.agent.processor.ProcessorException;
import dev.kiln.core.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads model zips from the uploads bucket and unpacks each once into {@code
 * cacheDir/{contentHash}}, so an agent fetches a model once whatever the number of shards. A
 * directory is used only once it is complete (a {@code .complete} marker written last), so a crash
 * mid-unpack is repaired on the next use. Thread-safe.
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
   * Unpacks a zip stream into {@code target}, replacing whatever an earlier attempt left there.
   *
   * @throws ZipException when the stream is not a zip, or is empty, or names a path outside target
   */
  public static void unpack(InputStream in, Path target) throws IOException {
    deleteTree(target);
    Files.createDirectories(target);
    Path root = target.toAbsolutePath().normalize();
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
    Files.createFile(target.resolve(COMPLETE));
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
