package dev.kiln.api.service;

import dev.kiln.api.db.ErrorPartDao;
import dev.kiln.api.paging.ErrorCursor;
import dev.kiln.client.api.JobErrorView;
import dev.kiln.client.api.Page;
import dev.kiln.protocol.storage.ErrorPartLine;
import dev.kiln.protocol.storage.ObjectStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * A job's failed records, read from the error parts its agents wrote beside their output parts
 * (PostgreSQL keeps one key and one line-break count per shard, however many records fail), with
 * their lines in the file: one plus the line breaks of the shards before, plus those before the
 * record in its shard. Thread-safe.
 */
public final class JobErrors {
  private final Jdbi jdbi;
  private final ObjectStore store;
  private final JobService jobs;

  public JobErrors(Jdbi jdbi, ObjectStore store, JobService jobs) {
    this.jdbi = jdbi;
    this.store = store;
    this.jobs = jobs;
  }

  /**
   * The page of {@code limit} failed records after {@code after} (null: the first); 404 if not
   * yours.
   */
  public Page<JobErrorView> page(UUID ownerId, UUID jobId, ErrorCursor after, int limit) {
    jobs.require(ownerId, jobId);
    List<JobErrorView> rows = new ArrayList<>();
    List<ErrorCursor> positions = new ArrayList<>();
    int fromShard = after == null ? 0 : after.shard();
    for (ErrorPartDao.ErrorPart part :
        jdbi.onDemand(ErrorPartDao.class).fromShard(jobId, fromShard)) {
      long skipThrough = after != null && part.idx() == after.shard() ? after.offset() : -1;
      boolean full =
          read(
              part,
              skipThrough,
              view -> {
                rows.add(view);
                positions.add(new ErrorCursor(part.idx(), view.offset()));
              },
              limit + 1 - rows.size());
      if (full) {
        break;
      }
    }
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    return new Page<>(List.copyOf(rows.subList(0, limit)), positions.get(limit - 1).encode());
  }

  /** Checks that the job is the owner's (404 if not), before a download begins. */
  public void require(UUID ownerId, UUID jobId) {
    jobs.require(ownerId, jobId);
  }

  /** Every failed record of the job, in input order; call {@link #require} first. */
  public void each(UUID jobId, Consumer<JobErrorView> sink) {
    for (ErrorPartDao.ErrorPart part : jdbi.onDemand(ErrorPartDao.class).fromShard(jobId, 0)) {
      read(part, -1, sink, Integer.MAX_VALUE);
    }
  }

  /**
   * Reads up to {@code max} records of one part after offset {@code skipThrough}; true when full.
   */
  private boolean read(
      ErrorPartDao.ErrorPart part, long skipThrough, Consumer<JobErrorView> sink, int max) {
    int taken = 0;
    try (InputStream in = store.open(store.settings().resultsBucket(), part.errorKey());
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String text = lines.readLine(); text != null; text = lines.readLine()) {
        if (text.isBlank()) {
          continue;
        }
        ErrorPartLine line = ErrorPartLine.parse(text);
        if (line.offset() <= skipThrough) {
          continue;
        }
        if (taken == max) {
          return true;
        }
        sink.accept(view(part, line));
        taken++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "reading the error part of shard " + part.idx() + " failed", e);
    }
    return taken == max;
  }

  private static JobErrorView view(ErrorPartDao.ErrorPart part, ErrorPartLine line) {
    Long fileLine =
        part.countsKnown() && line.newlines() >= 0
            ? 1 + part.newlinesBefore() + line.newlines()
            : null;
    return new JobErrorView(
        part.fileId(),
        part.fileName(),
        part.inputPosition(),
        fileLine,
        line.offset(),
        line.message(),
        line.record(),
        line.truncated());
  }
}
