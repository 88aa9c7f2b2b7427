package dev.kiln.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kiln.client.api.AccountView;
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
import dev.kiln.client.api.WhoAmIView;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

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

  /** Ends every session (access token) of the account; its API keys stay valid. */
  public void logout() {
    send("POST", "/api/v1/auth/logout", null, Void.class);
  }

  /** Whom the current credential stands for. */
  public WhoAmIView whoami() {
    return send("GET", "/api/v1/whoami", null, WhoAmIView.class);
  }

  public AccountView account() {
    return send("GET", "/api/v1/account", null, AccountView.class);
  }

  public List<ApiKeyView> apiKeys() {
    return send("GET", "/api/v1/account/api-keys", null, new TypeReference<List<ApiKeyView>>() {});
  }

  public void revokeApiKey(UUID id) {
    send("DELETE", "/api/v1/account/api-keys/" + id, null, Void.class);
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
      List<CompleteUploadRequest.Part> parts =
          ParallelParts.put(http, file, size, upload, PARTS_IN_FLIGHT);
      return send(
          "POST",
          "/api/v1/files/" + upload.id() + "/complete",
          new CompleteUploadRequest(null, parts),
          FileView.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Registers a new file and answers how to upload it: one presigned PUT, or (multipart) a part
   * size and one presigned URL per part. Finish with {@link #completeUpload}.
   */
  public UploadView createUpload(FileCreateRequest request) {
    return send("POST", "/api/v1/files", request, UploadView.class);
  }

  /**
   * PUTs {@code length} bytes to a presigned URL (a whole file or one part) and answers the ETag S3
   * returned. {@code body} is called once for the bytes; it may count or pace them.
   */
  public String putObject(URI url, Supplier<InputStream> body, long length) {
    return put(
        url,
        HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(body), length));
  }

  /** Finishes an upload: the checked file, now READY. */
  public FileView completeUpload(UUID id, CompleteUploadRequest request) {
    return send("POST", "/api/v1/files/" + id + "/complete", request, FileView.class);
  }

  /** Abandons a pending upload; the file is deleted. */
  public void abortUpload(UUID id) {
    send("POST", "/api/v1/files/" + id + "/abort", null, Void.class);
  }

  /** A presigned link to a READY file. */
  public DownloadView fileLink(UUID id) {
    return send("GET", "/api/v1/files/" + id + "/download", null, DownloadView.class);
  }

  public FileView file(UUID id) {
    return send("GET", "/api/v1/files/" + id, null, FileView.class);
  }

  public Page<FileView> files(String cursor) {
    return files(cursor, null);
  }

  /** One page of the caller's files, newest first; {@code limit} null for the server's default. */
  public Page<FileView> files(String cursor, Integer limit) {
    return send(
        "GET",
        "/api/v1/files" + query("cursor", cursor, "limit", limit),
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

  /** One page of the caller's jobs, newest first; {@code state} null for every state. */
  public Page<JobView> jobs(String state, String cursor, Integer limit) {
    return send(
        "GET",
        "/api/v1/jobs" + query("state", state, "cursor", cursor, "limit", limit),
        null,
        new TypeReference<Page<JobView>>() {});
  }

  /** Runs the failed shards of a FAILED job, or the unfinished part of a CANCELLED one, again. */
  public JobView retry(UUID id) {
    return send("POST", "/api/v1/jobs/" + id + "/retry", null, JobView.class);
  }

  /** Deletes a finished job and its outputs. */
  public void deleteJob(UUID id) {
    send("DELETE", "/api/v1/jobs/" + id, null, Void.class);
  }

  /**
   * Reads the job's server-sent events (outbox events, {@code progress}, {@code end}) from after
   * {@code lastEventId} (null: from the start), handing each to {@code listener}, until the server
   * ends the stream; answers the id of the last event that had one (pass it to resume).
   */
  public String followEvents(UUID jobId, String lastEventId, Consumer<ServerSentEvent> listener) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs/" + jobId + "/events"))
            .timeout(Duration.ofSeconds(60))
            .header("Accept", "text/event-stream")
            .GET();
    authorize(request);
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    try {
      HttpResponse<java.util.stream.Stream<String>> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      try (java.util.stream.Stream<String> lines = response.body()) {
        if (response.statusCode() != 200) {
          byte[] body = String.join("\n", lines.toList()).getBytes(StandardCharsets.UTF_8);
          throw failure(response.statusCode(), body);
        }
        return EventStreamParser.parse(lines.iterator(), lastEventId, listener);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while following job " + jobId, e);
    }
  }

  /**
   * Opens a presigned download for reading; the caller closes the stream. Throws {@link
   * KilnApiException} when S3 refuses it.
   */
  public InputStream openDownload(URI url) {
    try {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        try (InputStream in = response.body()) {
          throw new KilnApiException(
              response.statusCode(),
              null,
              "the download was refused: " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while downloading", e);
    }
  }

  /** The operator API ({@code /api/v1/admin}); the credential must be an admin's. */
  public KilnAdminClient admin() {
    return new KilnAdminClient(this);
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
    try (InputStream in = openDownload(link.url())) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String etagOf(HttpResponse<String> response) {
    if (response.statusCode() / 100 != 2) {
      throw new KilnApiException(
          response.statusCode(), null, "S3 refused the upload: " + response.body());
    }
    return response.headers().firstValue("ETag").orElse(null);
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

  <T> T send(String method, String path, Object body, Class<T> type) {
    return send(method, path, body, json.constructType(type), null);
  }

  private <T> T send(
      String method, String path, Object body, Class<T> type, String idempotencyKey) {
    return send(method, path, body, json.constructType(type), idempotencyKey);
  }

  private void authorize(HttpRequest.Builder request) {
    String current = credential;
    if (current != null) {
      request.header("Authorization", "Bearer " + current);
    }
  }

  private KilnApiException failure(int status, byte[] body) {
    Problem problem = null;
    try {
      problem = json.readValue(body, Problem.class);
    } catch (IOException notAProblem) {
      // A proxy or load balancer answered; keep the raw text.
    }
    return new KilnApiException(status, problem, new String(body, StandardCharsets.UTF_8));
  }

  /** {@code ?name=value&...} of the pairs whose value is not null, or "" when none is. */
  static String query(Object... namesAndValues) {
    StringBuilder query = new StringBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      Object value = namesAndValues[i + 1];
      if (value != null) {
        query.append(query.length() == 0 ? '?' : '&');
        query.append(namesAndValues[i]).append('=').append(encode(value.toString()));
      }
    }
    return query.toString();
  }

  <T> T send(String method, String path, Object body, TypeReference<T> type) {
    return send(method, path, body, json.getTypeFactory().constructType(type), null);
  }

  private <T> T send(
      String method, String path, Object body, JavaType type, String idempotencyKey) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(60))
              .header("Accept", "application/json");
      authorize(request);
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
        throw failure(response.statusCode(), response.body());
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

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
