package dev.kiln.scheduler.support;

import dev.kiln.db.Databases;
import dev.kiln.embedded.S3Endpoint;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.storage.S3Settings;
import dev.kiln.testkit.TestStack;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;

/**
 * The clients the scheduler's code takes (Jdbi, Redisson, the object store) on a test class's
 * {@link TestStack}, closed together. Thread-safe.
 */
public final class StackClients implements AutoCloseable {
  private final TestStack stack;
  private final Jdbi jdbi;
  private final ObjectStore store;
  private final List<RedissonClient> redisClients = new CopyOnWriteArrayList<>();

  public StackClients(TestStack stack) {
    this.stack = stack;
    this.jdbi = Databases.jdbi(stack.dataSource());
    S3Endpoint s3 = stack.s3();
    this.store =
        ObjectStore.create(
            S3Settings.compatible(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey())
                .withBuckets(stack.uploadsBucket(), stack.resultsBucket()));
  }

  /** Jdbi on the class's migrated database. */
  public Jdbi jdbi() {
    return jdbi;
  }

  /** The object store with the class's own buckets. */
  public ObjectStore store() {
    return store;
  }

  /**
   * A Redisson client of its own (another connection pool), as each scheduler process or agent has;
   * shut down by {@link #close()}.
   */
  public RedissonClient redisson() {
    RedissonClient client = RedisClients.create(stack.redisUri(), 16);
    redisClients.add(client);
    return client;
  }

  @Override
  public void close() {
    for (RedissonClient client : redisClients) {
      if (!client.isShuttingDown() && !client.isShutdown()) {
        client.shutdown();
      }
    }
    store.close();
  }
}
