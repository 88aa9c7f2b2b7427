package dev.kiln.cli.files;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.CliException;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.cli.common.ProgressBar;
import dev.kiln.client.FileRegion;
import dev.kiln.client.KilnApiException;
import dev.kiln.client.KilnClient;
import dev.kiln.client.api.CompleteUploadRequest;
import dev.kiln.client.api.FileCreateRequest;
import dev.kiln.client.api.FileView;
import dev.kiln.client.api.UploadView;
import dev.kiln.model.FileState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Uploads local files straight to S3 through the API's presigned URLs: a small file in one PUT, a
 * large one in parts, {@code parallel} at once, each part's MD5 checked against the ETag S3
 * answers, each finished part written to a state file so that the same command resumes an
 * interrupted upload. Not thread-safe (one file at a time).
 */
public final class Uploader {
  /** Presigned URLs closer to their expiry than this are not trusted to finish a part. */
  private static final Duration URL_MARGIN = Duration.ofMinutes(2);

  private static final int ATTEMPTS_PER_PART = 3;

  private final CliContext context;
  private final KilnClient client;
  private final int parallel;
  private final RateLimit limit;

  /** {@code bytesPerSecond}: 0 for no limit. */
  public Uploader(CliContext context, KilnClient client, int parallel, long bytesPerSecond) {
    this.context = context;
    this.client = client;
    this.parallel = Math.max(1, parallel);
    this.limit = bytesPerSecond > 0 ? new RateLimit(bytesPerSecond) : null;
  }

  /**
   * Uploads {@code file} (resuming an earlier attempt when one was left) and answers it READY; a
   * folder is packed into a tar first ({@link FolderTar}), each of its files one record.
   */
  public FileView upload(Path path) throws IOException {
    Path file = path;
    if (Files.isDirectory(path)) {
      try {
        file = FolderTar.pack(path, context.stateDir().resolve("folders"));
      } catch (IOException e) {
        throw new CliException(ExitCodes.GENERAL, "cannot pack " + path + ": " + e.getMessage());
      }
    }
    return uploadFile(file);
  }

  private FileView uploadFile(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new CliException(ExitCodes.GENERAL, "no such file: " + file);
    }
    long size = Files.size(file);
    if (size == 0) {
      throw new CliException(
          ExitCodes.GENERAL, file + " is empty; a file needs at least one record");
    }
    long modified = Files.getLastModifiedTime(file).toMillis();
    String api = client.baseUrl().toString();
    Path stateFile = UploadState.fileFor(context.stateDir().resolve("uploads"), api, file);
    Optional<UploadState> earlier =
        UploadState.read(stateFile).filter(state -> state.describes(api, file, size, modified));
    if (earlier.isPresent()) {
      Optional<FileView> resumed = resume(earlier.get(), file, stateFile);
      if (resumed.isPresent()) {
        return resumed.get();
      }
    }
    Files.deleteIfExists(stateFile);
    String name = file.getFileName().toString();
    UploadView upload = client.createUpload(new FileCreateRequest(name, size, null));
    if (upload.uploadUrl() != null) {
      return single(file, size, upload);
    }
    UploadState state =
        new UploadState(
            api,
            file.toAbsolutePath().normalize().toString(),
            size,
            modified,
            upload.id(),
            name,
            upload.partSize(),
            upload.parts(),
            upload.urlsExpireAt(),
            java.util.Map.of());
    state.write(stateFile);
    return parts(file, state, stateFile);
  }

  /** Continues an earlier upload; empty when it cannot be continued and must start over. */
  private Optional<FileView> resume(UploadState state, Path file, Path stateFile)
      throws IOException {
    FileView existing;
    try {
      existing = client.file(state.fileId());
    } catch (KilnApiException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
    if (FileState.READY.name().equals(existing.state())) {
      Files.deleteIfExists(stateFile);
      return Optional.of(existing);
    }
    if (state.urlsExpireAt().isBefore(context.clock().instant().plus(URL_MARGIN))) {
      context
          .err()
          .println(
              "kiln: the upload URLs of the earlier attempt have expired; uploading "
                  + file.getFileName()
                  + " from the start");
      try {
        client.abortUpload(state.fileId());
      } catch (KilnApiException e) {
        // Already gone: nothing to clean up.
      }
      return Optional.empty();
    }
    context
        .err()
        .println(
            "kiln: resuming the upload of "
                + file.getFileName()
                + ": "
                + state.done().size()
                + " of "
                + state.parts().size()
                + " parts already uploaded");
    context.err().flush();
    return Optional.of(parts(file, state, stateFile));
  }

  private FileView single(Path file, long size, UploadView upload) {
    ProgressBar bar = bar(file, size, 0);
    MessageDigest md5 = md5();
    String etag =
        client.putObject(
            upload.uploadUrl(),
            () -> new MeteredStream(open(file, 0, size), md5, bar::add, limit),
            size);
    bar.finish();
    checkEtag(etag, md5, file.getFileName() + "");
    return client.completeUpload(upload.id(), new CompleteUploadRequest(etag, null));
  }

  private FileView parts(Path file, UploadState initial, Path stateFile) throws IOException {
    long doneBytes = initial.done().keySet().stream().mapToLong(n -> length(initial, n)).sum();
    ProgressBar bar = bar(file, initial.sizeBytes(), doneBytes);
    StateKeeper keeper = new StateKeeper(initial, stateFile);
    Thread pausedNotice =
        new Thread(
            () -> {
              UploadState now = keeper.current();
              context
                  .err()
                  .println(
                      "\nkiln: upload of "
                          + file.getFileName()
                          + " paused after "
                          + now.done().size()
                          + " of "
                          + now.parts().size()
                          + " parts; run the same command to resume");
              context.err().flush();
            });
    Runtime.getRuntime().addShutdownHook(pausedNotice);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            parallel,
            runnable -> {
              Thread thread = new Thread(runnable, "kiln-upload-part");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<?>> running = new ArrayList<>();
      for (UploadView.PartUrl part : initial.parts()) {
        if (!initial.done().containsKey(part.partNumber())) {
          running.add(pool.submit(() -> putPart(file, initial, part, bar, keeper)));
        }
      }
      for (Future<?> future : running) {
        await(future);
      }
    } finally {
      pool.shutdownNow();
    }
    bar.finish();
    UploadState finished = keeper.current();
    List<CompleteUploadRequest.Part> parts = new ArrayList<>();
    finished
        .done()
        .forEach((number, etag) -> parts.add(new CompleteUploadRequest.Part(number, etag)));
    FileView ready;
    try {
      ready = client.completeUpload(finished.fileId(), new CompleteUploadRequest(null, parts));
    } catch (KilnApiException e) {
      if (e.status() == 409 || e.status() == 404) {
        // The server gave up on this upload (aborted, expired): the next run starts over.
        Files.deleteIfExists(stateFile);
      }
      throw e;
    }
    Files.deleteIfExists(stateFile);
    try {
      Runtime.getRuntime().removeShutdownHook(pausedNotice);
    } catch (IllegalStateException shuttingDown) {
      // The process is ending anyway.
    }
    return ready;
  }

  /** PUTs one part, retrying a dropped connection; records its ETag in the state file. */
  private Void putPart(
      Path file, UploadState state, UploadView.PartUrl part, ProgressBar bar, StateKeeper keeper)
      throws IOException {
    long offset = (part.partNumber() - 1) * state.partSize();
    long length = length(state, part.partNumber());
    for (int attempt = 1; ; attempt++) {
      MessageDigest md5 = md5();
      AtomicLong sent = new AtomicLong();
      try {
        String etag =
            client.putObject(
                part.url(),
                () ->
                    new MeteredStream(
                        open(file, offset, length),
                        md5,
                        n -> {
                          sent.addAndGet(n);
                          bar.add(n);
                        },
                        limit),
                length);
        checkEtag(etag, md5, "part " + part.partNumber());
        keeper.done(part.partNumber(), etag);
        return null;
      } catch (UncheckedIOException e) {
        bar.add(-sent.get());
        if (attempt >= ATTEMPTS_PER_PART || Thread.currentThread().isInterrupted()) {
          throw e;
        }
        sleep(attempt * 1000L);
      }
    }
  }

  private static long length(UploadState state, int partNumber) {
    long offset = (partNumber - 1) * state.partSize();
    return Math.min(state.partSize(), state.sizeBytes() - offset);
  }

  private static InputStream open(Path file, long offset, long length) {
    return FileRegion.open(file, offset, length);
  }

  /** S3's ETag of a part or a single PUT is the MD5 of the bytes it stored. */
  private static void checkEtag(String etag, MessageDigest md5, String what) {
    String expected = HexFormat.of().formatHex(md5.digest());
    String got = etag == null ? "" : etag.replace("\"", "").toLowerCase(java.util.Locale.ROOT);
    if (got.matches("[0-9a-f]{32}") && !got.equals(expected)) {
      throw new CliException(
          ExitCodes.NETWORK,
          what + " arrived damaged (MD5 " + expected + ", S3 stored " + got + "); upload it again");
    }
  }

  private ProgressBar bar(Path file, long size, long done) {
    return new ProgressBar(
        context.err(),
        context.stderrTerminal(),
        context.clock(),
        file.getFileName().toString(),
        size,
        done);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(Future<?> future) throws IOException {
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.GENERAL, "interrupted; run the same command to resume");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The upload's state, written after every finished part. Thread-safe. */
  private static final class StateKeeper {
    private final Path stateFile;
    private UploadState state;

    StateKeeper(UploadState state, Path stateFile) {
      this.state = state;
      this.stateFile = stateFile;
    }

    synchronized void done(int partNumber, String etag) throws IOException {
      state = state.withDone(partNumber, etag);
      state.write(stateFile);
    }

    synchronized UploadState current() {
      return state;
    }
  }
}
