package dev.kiln.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kiln.client.api.ApiKeyRequest;
import dev.kiln.client.api.ApiKeyView;
import dev.kiln.client.api.CompleteUploadRequest;
import dev.kiln.client.api.DownloadView;
import dev.kiln.client.api.FileCreateRequest;
import dev.kiln.client.api.FileView;
import dev.kiln.client.api.JobCreateRequest;
import dev.kiln.client.api.JobErrorView;
import dev.kiln.client.api.JobView;
import dev.kiln.client.api.LoginRequest;
import dev.kiln.client.api.Page;
import dev.kiln.client.api.Problem;
import dev.kiln.client.api.SignupRequest;
import dev.kiln.client.api.TokenResponse;
import dev.kiln.client.api.UploadView;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A small client of the Kiln REST API (java.net.http + Jackson): sign up, log in, upload (create,
 * PUT to the presigned URL or part URLs, complete), submit, follow and download. Failures raise
 * {@link KilnApiException} with the server's problem. Thread-safe once its credential is set.
 */
public final class KilnClient {
  private static final int PARTS_IN_FLIGHT = 4;

  private final URI base;
  private final HttpClient http;
  private final ObjectMapper json;
  private volatile String credential;

  public KilnClient(URI baseUrl) {
    this(baseUrl, null);
  }

  /** {@code credential}: an access token or an API key ({@code kiln_...}), or null. */
  public KilnClient(URI baseUrl, String credential) {
    String text = baseUrl.toString();
    this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.json =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    this.credential = credential;
  }

  public URI baseUrl() {
    return base;
  }

  public String credential() {
    return credential;
  }

  public void useCredential(String credential) {
    this.credential = credential;
  }

  /** Creates an account and uses its token from now on. */
  public TokenResponse signup(String email, String password) {
    TokenResponse token =
        send(
            "POST", "/api/v1/auth/signup", new SignupRequest(email, password), TokenResponse.class);
    credential = token.accessToken();
    return token;
  }

  /** Logs in and uses the token from now on. */
  public TokenResponse login(String email, String password) {
    TokenResponse token =
        send("POST", "/api/v1/auth/login", new LoginRequest(email, password), TokenResponse.class);
    credential = token.accessToken();
    return token;
  }

  public ApiKeyView createApiKey(String name) {
    return send("POST", "/api/v1/account/api-keys", new ApiKeyRequest(name), ApiKeyView.class);
  }

  /** Uploads a local file under its own name. */
  public FileView upload(Path file) {
    return upload(file, file.getFileName().toString());
  }

  /** Uploads a local file: single PUT or parts, as the server decides, then completes it. */
  public FileView upload(Path file, String name) {
    try {
      long size = Files.size(file);
      UploadView upload =
          send("POST", "/api/v1/files", new FileCreateRequest(name, size, null), UploadView.class);
      if (upload.uploadUrl() != null) {
        String etag = put(upload.uploadUrl(), HttpRequest.BodyPublishers.ofFile(file));
        return send(
            "POST",
            "/api/v1/files/" + upload.id() + "/complete",
            new CompleteUploadRequest(etag, null),
            FileView.class);
      }
      List<CompleteUploadRequest.Part> parts = putParts(file, size, upload);
      return send(
          "POST",
          "/api/v1/files/" + upload.id() + "/complete",
          new CompleteUploadRequest(null, parts),
          FileView.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public FileView file(UUID id) {
    return send("GET", "/api/v1/files/" + id, null, FileView.class);
  }

  public Page<FileView> files(String cursor) {
    return send(
        "GET",
        "/api/v1/files" + (cursor == null ? "" : "?cursor=" + encode(cursor)),
        null,
        new TypeReference<Page<FileView>>() {});
  }

  public void deleteFile(UUID id) {
    send("DELETE", "/api/v1/files/" + id, null, Void.class);
  }

  /** Submits a job; with a non-null {@code idempotencyKey} a retry returns the same job. */
  public JobView submit(JobCreateRequest request, String idempotencyKey) {
    return send("POST", "/api/v1/jobs", request, JobView.class, idempotencyKey);
  }

  public JobView job(UUID id) {
    return send("GET", "/api/v1/jobs/" + id, null, JobView.class);
  }

  public JobView cancel(UUID id) {
    return send("POST", "/api/v1/jobs/" + id + "/cancel", null, JobView.class);
  }

  /** Polls the job until it finishes or {@code timeout} passes; returns its last state. */
  public JobView awaitJob(UUID id, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    long pause = 200;
    while (true) {
      JobView job = job(id);
      if (job.state().isTerminal() || Instant.now().isAfter(deadline)) {
        return job;
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return job;
      }
      pause = Math.min(pause * 2, 2_000);
    }
  }

  /** A page of the job's failed records, in input order; {@code cursor} null for the first. */
  public Page<JobErrorView> jobErrors(UUID jobId, String cursor, int limit) {
    return send(
        "GET",
        "/api/v1/jobs/"
            + jobId
            + "/errors?limit="
            + limit
            + (cursor == null ? "" : "&cursor=" + encode(cursor)),
        null,
        new TypeReference<Page<JobErrorView>>() {});
  }

  /** Every failed record of the job, in input order, read from its JSON-lines download. */
  public List<JobErrorView> allJobErrors(UUID jobId) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs/" + jobId + "/errors.jsonl"))
              .timeout(Duration.ofSeconds(60))
              .header("Accept", "application/jsonl")
              .GET();
      if (credential != null) {
        request.header("Authorization", "Bearer " + credential);
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() != 200) {
        Problem problem = null;
        try {
          problem = json.readValue(response.body(), Problem.class);
        } catch (IOException notAProblem) {
          // A proxy or load balancer answered; keep the raw text.
        }
        throw new KilnApiException(response.statusCode(), problem, response.body());
      }
      List<JobErrorView> errors = new java.util.ArrayList<>();
      for (String line : response.body().split("\n")) {
        if (!line.isBlank()) {
          errors.add(json.readValue(line, JobErrorView.class));
        }
      }
      return errors;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the errors of " + jobId, e);
    }
  }

  /** A presigned link to the output of input {@code position}. */
  public DownloadView outputLink(UUID jobId, int position) {
    return send(
        "GET",
        "/api/v1/jobs/" + jobId + "/outputs/" + position + "/download",
        null,
        DownloadView.class);
  }

  /** Downloads the output of input {@code position} to {@code target}. */
  public Path downloadOutput(UUID jobId, int position, Path target) {
    DownloadView link = outputLink(jobId, position);
    try {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(link.url()).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw new KilnApiException(
              response.statusCode(), null, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while downloading", e);
    }
  }

  /**
   * PUTs the parts to their presigned URLs, {@link #PARTS_IN_FLIGHT} at once in part-number order,
   * each streamed from its region of the file (memory stays small whatever the part size); answers
   * the parts with their ETags in part-number order.
   */
  private List<CompleteUploadRequest.Part> putParts(Path file, long size, UploadView upload)
      throws IOException {
    List<CompleteUploadRequest.Part> parts = new ArrayList<>(upload.parts().size());
    ArrayDeque<CompletableFuture<CompleteUploadRequest.Part>> window = new ArrayDeque<>();
    try {
      for (UploadView.PartUrl part : upload.parts()) {
        long offset = (part.partNumber() - 1) * upload.partSize();
        long length = Math.min(upload.partSize(), size - offset);
        if (length <= 0) {
          throw new IOException(file + " shrank while it was uploaded");
        }
        if (window.size() == PARTS_IN_FLIGHT) {
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
                        new CompleteUploadRequest.Part(part.partNumber(), etagOf(response))));
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

  private static String etagOf(HttpResponse<String> response) {
    if (response.statusCode() / 100 != 2) {
      throw new KilnApiException(
          response.statusCode(), null, "S3 refused the upload: " + response.body());
    }
    return response.headers().firstValue("ETag").orElse(null);
  }

  /** The bytes {@code [offset, offset + length)} of a file, read as a stream. */
  private static final class FileRegion extends InputStream {
    private final FileChannel channel;
    private long left;

    private FileRegion(FileChannel channel, long left) {
      this.channel = channel;
      this.left = left;
    }

    static InputStream open(Path file, long offset, long length) {
      try {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(offset);
        return new FileRegion(channel, length);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int from, int count) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = channel.read(ByteBuffer.wrap(buffer, from, (int) Math.min(count, left)));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private String put(URI url, HttpRequest.BodyPublisher body) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(url).PUT(body).timeout(Duration.ofMinutes(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return etagOf(response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while uploading", e);
    }
  }

  private <T> T send(String method, String path, Object body, Class<T> type) {
    return send(method, path, body, json.constructType(type), null);
  }

  private <T> T send(
      String method, String path, Object body, Class<T> type, String idempotencyKey) {
    return send(method, path, body, json.constructType(type), idempotencyKey);
  }

  private <T> T send(String method, String path, Object body, TypeReference<T> type) {
    return send(method, path, body, json.getTypeFactory().constructType(type), null);
  }

  private <T> T send(
      String method, String path, Object body, JavaType type, String idempotencyKey) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(60))
              .header("Accept", "application/json");
      if (credential != null) {
        request.header("Authorization", "Bearer " + credential);
      }
      if (idempotencyKey != null) {
        request.header("Idempotency-Key", idempotencyKey);
      }
      if (body != null) {
        request
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
      } else if (method.equals("POST")) {
        request
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"));
      } else {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() / 100 != 2) {
        Problem problem = null;
        try {
          problem = json.readValue(response.body(), Problem.class);
        } catch (IOException notAProblem) {
          // A proxy or load balancer answered; keep the raw text.
        }
        throw new KilnApiException(
            response.statusCode(), problem, new String(response.body(), StandardCharsets.UTF_8));
      }
      if (type.getRawClass() == Void.class || response.body().length == 0) {
        return null;
      }
      return json.readValue(response.body(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling " + path, e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
