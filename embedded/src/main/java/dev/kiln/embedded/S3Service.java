package dev.kiln.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible server (S3Proxy, in this JVM) that keeps buckets as directories and objects as
 * files under one directory, durably (every object flushed before it is acknowledged) or for tests.
 * Path-style addressing only, AWS signature v2 or v4 with one static key pair; answers CORS for
 * pages on loopback origins. Thread-safe.
 */
public final class S3Service implements AutoCloseable {

  public static final String DEFAULT_ACCESS_KEY = "kiln";
  public static final String DEFAULT_SECRET_KEY = "kiln-secret-key";

  private static final Logger LOG = LoggerFactory.getLogger(S3Service.class);

  /**
   * Pages served from this machine (the web UI under {@code ./kiln up}) may upload and download
   * with presigned URLs: any loopback origin, the methods presigned URLs use, every request header,
   * and the {@code ETag} header exposed (a multipart upload names each part by it).
   */
  static final CrossOriginResourceSharing LOOPBACK_PAGES =
      new CrossOriginResourceSharing(
          List.of("^https?://(localhost|127\\.0\\.0\\.1|\\[::1\\])(:[0-9]{1,5})?$"),
          List.of("GET", "HEAD", "PUT", "POST", "DELETE"),
          List.of("*"),
          List.of("ETag"),
          "false");

  private final S3Proxy proxy;
  private final S3Endpoint endpoint;
  private final Path rootDir;
  private final AtomicBoolean closed = new AtomicBoolean();

  private S3Service(S3Proxy proxy, S3Endpoint endpoint, Path rootDir) {
    this.proxy = proxy;
    this.endpoint = endpoint;
    this.rootDir = rootDir;
  }

  /**
   * Starts S3Proxy on a free loopback port with its buckets under {@code rootDir}, leaving writes
   * to the filesystem's own pace (tests). See {@link #start(Path, String, String, String,
   * boolean)}.
   */
  public static S3Service start(Path rootDir, String accessKey, String secretKey, String region) {
    return start(rootDir, accessKey, secretKey, region, false);
  }

  /**
   * Starts S3Proxy on a free loopback port with its buckets under {@code rootDir}.
   *
   * @param durable flush every object written to disk before acknowledging it, so that it survives
   *     a power cut (a killed process loses nothing either way)
   */
  public static S3Service start(
      Path rootDir, String accessKey, String secretKey, String region, boolean durable) {
    long started = System.nanoTime();
    try {
      Files.createDirectories(rootDir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + rootDir, e);
    }
    BlobStore files = new FilesystemNio2BlobStore(rootDir.toAbsolutePath().toString());
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(durable ? new SyncingBlobStore(files, rootDir) : files)
            // Port 0: the kernel picks a free port, read back after start (no race).
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            .corsRules(LOOPBACK_PAGES)
            .jettyMaxThreads(64)
            .stopTimeout(2_000)
            .build();
    try {
      proxy.start();
    } catch (Exception e) {
      throw new IllegalStateException("could not start S3Proxy on " + rootDir, e);
    }
    S3Endpoint endpoint =
        new S3Endpoint(
            URI.create("http://127.0.0.1:" + proxy.getPort()), accessKey, secretKey, region);
    LOG.info(
        "S3 (S3Proxy) on {} ready in {} ms, buckets in {}",
        endpoint.endpoint(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        rootDir);
    return new S3Service(proxy, endpoint, rootDir.toAbsolutePath());
  }

  /** Endpoint, key pair and signing region. */
  public S3Endpoint endpoint() {
    return endpoint;
  }

  /**
   * Where the objects are: {@code rootDir/bucket/key}, one file each, so a test can place an object
   * no upload could make, such as a sparse file of a terabyte.
   */
  public Path rootDir() {
    return rootDir;
  }

  /** Stops the server, letting requests in flight finish for up to two seconds; idempotent. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    try {
      proxy.stop();
    } catch (Exception e) {
      LOG.warn("S3Proxy did not stop cleanly", e);
    }
  }
}
