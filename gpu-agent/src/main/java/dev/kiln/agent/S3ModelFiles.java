package dev.kiln.agent;

import dev.kiln.agent.processor.ModelFiles;
import dev.kiln.agent.processor.ModelRef;
import dev.kiln.agent.processor.ProcessorException;
import dev.kiln.protocol.storage.Download;
import dev.kiln.protocol.storage.ObjectInfo;
import dev.kiln.protocol.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Downloads model zips from the uploads bucket into a cache addressed by content: the agent
 * computes the SHA-256 of the bytes it downloads while it unpacks them, and a model lives in {@code
 * cacheDir/sha256-{digest}}, so one entry never holds two different contents, whoever uploaded
 * them. A download is used only when it is what the upload recorded: the object's ETag must still
 * be the one recorded at upload completion (an object overwritten since fails the shard, not
 * retryable, naming the file), its MD5 must match a single-part ETag, and its size and SHA-256 must
 * match when the job names them. Which digest an object key and ETag hold is remembered in memory,
 * so each agent downloads a model once whatever the number of shards. Thread-safe, also across
 * processes sharing the cache directory.
 */
public final class S3ModelFiles implements ModelFiles {
  private static final Logger LOG = LoggerFactory.getLogger(S3ModelFiles.class);
  private static final String ENTRY_PREFIX = "sha256-";

  private final ObjectStore store;
  private final String bucket;
  private final Path cacheDir;
  private final ModelZip.Limits limits;
  private final ConcurrentHashMap<String, String> digests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

  public S3ModelFiles(ObjectStore store, String bucket, Path cacheDir) {
    this(store, bucket, cacheDir, ModelZip.Limits.DEFAULT);
  }

  public S3ModelFiles(ObjectStore store, String bucket, Path cacheDir, ModelZip.Limits limits) {
    this.store = store;
    this.bucket = bucket;
    this.cacheDir = cacheDir;
    this.limits = limits;
  }

  @Override
  public Path directory(ModelRef model) throws ProcessorException {
    if (model.key() == null || model.key().isBlank()) {
      throw ProcessorException.fatal("the job names no model; upload a zipped SavedModel");
    }
    if (model.sha256().isPresent() && ModelZip.isComplete(entry(model.sha256().get()))) {
      return entry(model.sha256().get());
    }
    String etag = model.etag().orElseGet(() -> currentEtag(model.key()));
    String source = bucket + "/" + model.key() + "#" + etag;
    synchronized (locks.computeIfAbsent(source, s -> new Object())) {
      String known = digests.get(source);
      if (known != null && ModelZip.isComplete(entry(known))) {
        return entry(known);
      }
      long started = System.nanoTime();
      String digest = download(model, etag);
      digests.put(source, digest);
      LOG.info(
          "Model {} (ETag {}, SHA-256 {}) ready in {} ms",
          model.key(),
          etag,
          digest,
          (System.nanoTime() - started) / 1_000_000);
      return entry(digest);
    }
  }

  /** The cache entry of the model whose zip has SHA-256 {@code digest}. */
  Path entry(String digest) {
    return cacheDir.resolve(ENTRY_PREFIX + digest);
  }

  /** Without a recorded ETag, the object's current one, so every use is checked against HEAD. */
  private String currentEtag(String key) {
    return store.head(bucket, key).map(ObjectInfo::etag).orElse("");
  }

  /** Downloads, checks and installs the model; returns the SHA-256 of its zip. */
  private String download(ModelRef model, String etag) throws ProcessorException {
    String key = model.key();
    Path staging = null;
    try {
      staging = ModelZip.staging(cacheDir, Path.of("download"));
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      try (Download response = store.download(bucket, key)) {
        String actual = response.etag();
        if (!actual.equals(etag)) {
          response.abort();
          throw changed(key, "its ETag is now " + actual + ", the upload recorded " + etag);
        }
        ModelZip.CountingInputStream counted =
            new ModelZip.CountingInputStream(
                new DigestInputStream(new DigestInputStream(response, sha256), md5));
        ModelZip.extract(counted, staging, limits);
        drain(counted);
        long bytes = counted.count();
        Long length = response.contentLength();
        if (length != null && bytes != length) {
          throw new ProcessorException(
              "downloading the model " + key + " broke off after " + bytes + " bytes", true);
        }
        verify(model, etag, bytes, HexFormat.of().formatHex(md5.digest()));
      }
      String digest = HexFormat.of().formatHex(sha256.digest());
      if (model.sha256().isPresent() && !model.sha256().get().equals(digest)) {
        throw changed(
            key, "its SHA-256 is " + digest + ", the upload recorded " + model.sha256().get());
      }
      ModelZip.install(staging, entry(digest));
      return digest;
    } catch (ModelZip.LimitExceeded e) {
      throw ProcessorException.fatal("the model " + key + " is refused: " + e.getMessage());
    } catch (ZipException | IllegalStateException e) {
      throw ProcessorException.fatal(
          "the model " + key + " is not a valid zip file: " + e.getMessage());
    } catch (NoSuchKeyException e) {
      throw ProcessorException.fatal("the model " + key + " does not exist; upload it again");
    } catch (S3Exception e) {
      boolean missing = e.statusCode() == 404;
      throw new ProcessorException(
          missing
              ? "the model " + key + " does not exist; upload it again"
              : "downloading the model " + key + " failed: " + e.getMessage(),
          !missing,
          e);
    } catch (IOException | UncheckedIOException | SdkException e) {
      throw new ProcessorException(
          "downloading the model " + key + " failed: " + e.getMessage(), true, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no " + e.getMessage(), e);
    } finally {
      deleteQuietly(staging);
    }
  }

  private void drain(InputStream counted) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long rest = 0;
    int read;
    while ((read = counted.read(buffer)) > 0) {
      rest += read;
      if (rest > limits.maxBytes()) {
        throw new ModelZip.LimitExceeded("it is larger than " + limits.maxBytes() + " bytes");
      }
    }
  }

  private static void verify(ModelRef model, String etag, long bytes, String md5)
      throws ProcessorException {
    String key = model.key();
    if (model.size().isPresent() && model.size().getAsLong() != bytes) {
      throw changed(
          key, "it has " + bytes + " bytes, the upload recorded " + model.size().getAsLong());
    }
    // A single-part upload's ETag is the MD5 of its bytes; a multipart one's ("...-N") is not.
    if (etag.matches("[0-9a-fA-F]{32}") && !etag.equalsIgnoreCase(md5)) {
      throw changed(key, "its MD5 is " + md5 + ", not its ETag " + etag);
    }
  }

  private static ProcessorException changed(String key, String why) {
    return ProcessorException.fatal(
        "the model file "
            + key
            + " is not the file that was uploaded ("
            + why
            + "); upload the model again and submit a new job");
  }

  private static String unquote(String etag) {
    if (etag == null) {
      return "";
    }
    String s = etag.strip();
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
        ? s.substring(1, s.length() - 1)
        : s;
  }

  private static void deleteQuietly(Path staging) {
    if (staging == null) {
      return;
    }
    try {
      ModelZip.deleteTree(staging);
    } catch (IOException e) {
      LOG.warn("Could not delete the temporary directory {}: {}", staging, e.getMessage());
    }
  }
}
