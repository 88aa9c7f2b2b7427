package dev.kiln.scheduler.support;

import dev.kiln.db.AccountDao;
import dev.kiln.db.FileDao;
import dev.kiln.db.JobDao;
import dev.kiln.db.OutboxDao;
import dev.kiln.model.FileState;
import dev.kiln.model.Job;
import dev.kiln.model.OutboxEventType;
import dev.kiln.model.Role;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.storage.ObjectKeys;
import dev.kiln.protocol.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Writes accounts, uploaded files and submitted jobs the way the API does. */
public final class Fixtures {
  private final Jdbi jdbi;
  private final ObjectStore store;

  public Fixtures(Jdbi jdbi, ObjectStore store) {
    this.jdbi = jdbi;
    this.store = store;
  }

  public UUID account() {
    UUID id = UUID.randomUUID();
    jdbi.onDemand(AccountDao.class).insert(id, id + "@example.com", "x", Role.USER, Instant.now());
    return id;
  }

  public StoredFile upload(UUID owner, String name, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    UUID id = UUID.randomUUID();
    String bucket = store.settings().uploadsBucket();
    String key = ObjectKeys.upload(owner, id, name);
    store.put(bucket, key, bytes);
    String etag = store.head(bucket, key).orElseThrow().etag();
    StoredFile file =
        new StoredFile(
            id,
            owner,
            name,
            bucket,
            key,
            bytes.length,
            etag,
            FileState.READY,
            Instant.now(),
            Instant.now(),
            null);
    jdbi.onDemand(FileDao.class).insert(file);
    return file;
  }

  /** Uploads many files side by side and records them in one transaction. */
  public List<StoredFile> uploadMany(UUID owner, List<String> names, List<String> contents)
      throws InterruptedException {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<StoredFile>> futures = new java.util.ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      byte[] bytes = contents.get(i).getBytes(StandardCharsets.UTF_8);
      futures.add(
          pool.submit(
              () -> {
                UUID id = UUID.randomUUID();
                String bucket = store.settings().uploadsBucket();
                String key = ObjectKeys.upload(owner, id, name);
                Retry.s3(() -> store.put(bucket, key, bytes));
                return new StoredFile(
                    id,
                    owner,
                    name,
                    bucket,
                    key,
                    bytes.length,
                    "etag",
                    FileState.READY,
                    Instant.now(),
                    Instant.now(),
                    null);
              }));
    }
    List<StoredFile> files = new java.util.ArrayList<>();
    try {
      for (var future : futures) {
        files.add(future.get());
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdown();
    }
    jdbi.useTransaction(
        handle -> {
          FileDao dao = handle.attach(FileDao.class);
          files.forEach(dao::insert);
        });
    return files;
  }

  /** Inserts a SUBMITTED job with its inputs and its outbox event in one transaction. */
  public UUID submit(
      UUID owner, String processor, String paramsJson, int priority, List<StoredFile> inputs) {
    UUID id = UUID.randomUUID();
    Instant now = Instant.now();
    jdbi.useTransaction(
        handle -> {
          JobDao jobs = handle.attach(JobDao.class);
          jobs.insert(Job.submitted(id, owner, processor, null, paramsJson, priority, null, now));
          for (int i = 0; i < inputs.size(); i++) {
            jobs.insertInput(id, i, inputs.get(i).id());
          }
          handle.attach(OutboxDao.class).append(id, owner, OutboxEventType.SUBMITTED, "{}", now);
        });
    return id;
  }

  public Job job(UUID id) {
    return jdbi.onDemand(JobDao.class).findById(id).orElseThrow();
  }
}
