package dev.kiln.client;

import dev.kiln.client.api.CompleteUploadRequest;
import dev.kiln.client.api.UploadView;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The parts of a multipart upload PUT a few at once, for {@link KilnClient#upload(Path)}. */
final class ParallelParts {
  private ParallelParts() {}

  /**
   * PUTs the parts to their presigned URLs, {@code inFlight} at once in part-number order, each
   * streamed from its region of the file (memory stays small whatever the part size); answers the
   * parts with their ETags in part-number order.
   */
  static List<CompleteUploadRequest.Part> put(
      HttpClient http, Path file, long size, UploadView upload, int inFlight) throws IOException {
    List<CompleteUploadRequest.Part> parts = new ArrayList<>(upload.parts().size());
    ArrayDeque<CompletableFuture<CompleteUploadRequest.Part>> window = new ArrayDeque<>();
    try {
      for (UploadView.PartUrl part : upload.parts()) {
        long offset = (part.partNumber() - 1) * upload.partSize();
        long length = Math.min(upload.partSize(), size - offset);
        if (length <= 0) {
          throw new IOException(file + " shrank while it was uploaded");
        }
        if (window.size() == inFlight) {
          parts.add(await(window.poll()));
        }
        HttpRequest request =
            HttpRequest.newBuilder(part.url())
                .PUT(
                    HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(
                            () -> FileRegion.open(file, offset, length)),
                        length))
                .timeout(Duration.ofMinutes(30))
                .build();
        window.add(
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(
                    response ->
                        new CompleteUploadRequest.Part(
                            part.partNumber(), KilnClient.etagOf(response))));
      }
      while (!window.isEmpty()) {
        parts.add(await(window.poll()));
      }
    } catch (RuntimeException | IOException e) {
      window.forEach(f -> f.cancel(true));
      throw e;
    }
    parts.sort(Comparator.comparingInt(CompleteUploadRequest.Part::partNumber));
    return parts;
  }

  private static <T> T await(CompletableFuture<T> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while uploading", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("uploading a part failed: " + cause, cause);
    }
  }
}
