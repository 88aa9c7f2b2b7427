package dev.kiln.scheduler.assemble;

import dev.kiln.protocol.storage.MultipartOutputStream;
import dev.kiln.protocol.storage.ObjectInfo;
import dev.kiln.protocol.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Concatenates parts in order into one object: server-side with {@code UploadPartCopy} (several
 * parts copied at once) when every part but the last is at least 5 MiB, streaming through this
 * process otherwise. The object appears whole or not at all. Thread-safe.
 */
final class PartConcatenator {
  /** A part to concatenate and its size. */
  public record Part(String key, long size) {}

  /** How an output was made. */
  public enum Method {
    SERVER_SIDE_COPY,
    STREAMED
  }

  private static final int STREAM_PART_BYTES = 8 * 1024 * 1024;

  private static final int PREFETCH = 16;
  private static final int COPIES_IN_FLIGHT = 4;
  private static final long PREFETCH_MAX_BYTES = 1024 * 1024;

  private final ObjectStore store;
  private final ExecutorService prefetch;

  /**
   * {@code prefetch} runs the read-ahead of small parts and the concurrent part copies; the caller
   * owns it. It must not be the executor the caller runs {@link #concatenate} on.
   */
  public PartConcatenator(ObjectStore store, ExecutorService prefetch) {
    this.store = store;
    this.prefetch = prefetch;
  }

  /** Writes the parts into {@code bucket/key}; answers the method and the size written. */
  public Method concatenate(String bucket, List<Part> parts, String key) {
    List<Part> nonEmpty = nonEmpty(parts);
    boolean copyable = copyable(nonEmpty);
    if (nonEmpty.size() == 1) {
      String source = nonEmpty.get(0).key();
      store.copy(bucket, source, key);
      return Method.SERVER_SIDE_COPY;
    }
    if (copyable) {
      copy(bucket, nonEmpty, key);
      return Method.SERVER_SIDE_COPY;
    }
    stream(bucket, nonEmpty, key);
    return Method.STREAMED;
  }

  /** The parts that hold bytes, in order. */
  static List<Part> nonEmpty(List<Part> parts) {
    return parts.stream().filter(p -> p.size() > 0).toList();
  }

  /** Whether non-empty parts can be copied server-side: some, and all but the last of 5 MiB+. */
  static boolean copyable(List<Part> nonEmpty) {
    boolean copyable = !nonEmpty.isEmpty();
    for (int i = 0; i < nonEmpty.size() - 1; i++) {
      copyable &= nonEmpty.get(i).size() >= MultipartOutputStream.MIN_PART_BYTES;
    }
    return copyable;
  }

  /**
   * Copies the parts server-side, up to {@link #COPIES_IN_FLIGHT} at once, submitted in part-number
   * order, and completes the upload with the parts in that order.
   */
  private void copy(String bucket, List<Part> parts, String key) {
    finish(bucket, key, startUpload(bucket, key), List.of(), parts);
  }

  /** Starts a multipart upload into {@code bucket/key}; answers its id. */
  String startUpload(String bucket, String key) {
    return store.createMultipartUpload(bucket, key);
  }

  /** Copies {@code source} into the upload as part {@code number}, on the prefetch executor. */
  Future<CompletedPart> copyLater(
      String bucket, String source, String key, String uploadId, int number) {
    return prefetch.submit(
        () -> new CompletedPart(number, store.copyPart(bucket, source, key, uploadId, number)));
  }

  /** Abandons the upload; whatever it held is deleted. */
  void abort(String bucket, String key, String uploadId) {
    store.abortMultipartUpload(bucket, key, uploadId);
  }

  /**
   * Finishes an upload that already holds the parts {@code copied} (waiting for those still being
   * copied): copies {@code rest} after them, up to {@link #COPIES_IN_FLIGHT} at once, and completes
   * it with every part in order. Every part but the last must be at least 5 MiB. On failure the
   * upload is aborted and the failure thrown.
   */
  void finish(
      String bucket,
      String key,
      String uploadId,
      List<Future<CompletedPart>> copied,
      List<Part> rest) {
    ArrayDeque<Future<CompletedPart>> window = new ArrayDeque<>(copied);
    try {
      List<CompletedPart> done = new ArrayList<>(copied.size() + rest.size());
      int next = 0;
      while (next < rest.size() || !window.isEmpty()) {
        while (next < rest.size() && window.size() < COPIES_IN_FLIGHT) {
          int number = copied.size() + next + 1;
          String source = rest.get(next++).key();
          window.add(copyLater(bucket, source, key, uploadId, number));
        }
        done.add(window.poll().get());
      }
      Map<Integer, String> etags = new TreeMap<>();
      done.forEach(part -> etags.put(part.number(), part.etag()));
      store.completeMultipartUpload(bucket, key, uploadId, etags);
    } catch (RuntimeException | InterruptedException | ExecutionException e) {
      window.forEach(f -> f.cancel(true));
      abort(bucket, key, uploadId);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while assembling " + key, e);
      }
      if (e instanceof ExecutionException) {
        throw e.getCause() instanceof RuntimeException r
            ? r
            : new IllegalStateException(e.getCause());
      }
      throw (RuntimeException) e;
    }
  }

  /** A part copied into an upload: its number and the ETag S3 answered. */
  record CompletedPart(int number, String etag) {}

  /**
   * Streams the parts through this process, fetching small parts a window ahead so many small parts
   * do not cost one round trip each in sequence.
   */
  private void stream(String bucket, List<Part> parts, String key) {
    MultipartOutputStream out = store.create(bucket, key, STREAM_PART_BYTES);
    ArrayDeque<Future<byte[]>> window = new ArrayDeque<>();
    int next = 0;
    try {
      while (next < parts.size() || !window.isEmpty()) {
        while (next < parts.size()
            && window.size() < PREFETCH
            && parts.get(next).size() <= PREFETCH_MAX_BYTES) {
          String part = parts.get(next++).key();
          window.add(prefetch.submit(() -> readAll(bucket, part)));
        }
        if (!window.isEmpty()) {
          out.write(window.poll().get());
        } else {
          try (InputStream in = store.open(bucket, parts.get(next++).key())) {
            in.transferTo(out);
          }
        }
      }
      out.close();
    } catch (IOException | RuntimeException e) {
      window.forEach(f -> f.cancel(true));
      out.abort();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.abort();
      throw new IllegalStateException("interrupted while assembling " + key, e);
    } catch (ExecutionException e) {
      window.forEach(f -> f.cancel(true));
      out.abort();
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }

  private byte[] readAll(String bucket, String key) throws IOException {
    try (InputStream in = store.open(bucket, key)) {
      return in.readAllBytes();
    }
  }

  /** Size and ETag of what was written. */
  public ObjectInfo written(String bucket, String key) {
    return store
        .head(bucket, key)
        .orElseThrow(() -> new IllegalStateException("assembled output " + key + " is missing"));
  }
}
