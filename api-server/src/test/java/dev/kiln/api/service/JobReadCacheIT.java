package dev.kiln.api.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.db.Databases;
import dev.kiln.db.JobReadBatcher;
import dev.kiln.model.FileState;
import dev.kiln.model.JobState;
import dev.kiln.protocol.news.JobNews;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/** Job reads kept in memory: by two API processes over one database and one Redis. */
@ExtendWith(KilnStackExtension.class)
class JobReadCacheIT {
  private static final Duration LONG = Duration.ofMinutes(10);

  private DataSource dataSource;
  private Jdbi jdbi;
  private RedissonClient redisOfA;
  private RedissonClient redisOfB;
  private UUID owner;
  private UUID job;

  @BeforeEach
  void aJobWithOneInput(TestStack stack) {
    dataSource = stack.dataSource();
    jdbi = Databases.jdbi(dataSource);
    redisOfA = RedisClients.create(stack.redisUri(), 2);
    redisOfB = RedisClients.create(stack.redisUri(), 2);
    owner = UUID.randomUUID();
    job = UUID.randomUUID();
    UUID file = UUID.randomUUID();
    jdbi.useHandle(
        h -> {
          h.execute(
              "insert into accounts (id, email, password_hash, role, created_at)"
                  + " values (?, ?, 'x', 'USER', now())",
              owner,
              owner + "@example.com");
          h.execute(
              "insert into files (id, owner_id, name, bucket, object_key, state, created_at)"
                  + " values (?, ?, 'in.csv', 'b', 'k', ?, now())",
              file,
              owner,
              FileState.READY.name());
          h.execute(
              "insert into jobs (id, owner_id, processor, state, created_at)"
                  + " values (?, ?, 'parse', ?, now())",
              job,
              owner,
              JobState.RUNNING.name());
          h.execute(
              "insert into job_inputs (job_id, position, file_id) values (?, 0, ?)", job, file);
        });
  }

  @AfterEach
  void closeClients() {
    redisOfA.shutdown();
    redisOfB.shutdown();
  }

  @Test
  void aChangeAnnouncedByOneProcessReachesTheOtherAtOnce() {
    JobReadCache a = new JobReadCache(new JobReadBatcher(dataSource, 2, 64), redisOfA, LONG, 100);
    JobReadCache b = new JobReadCache(new JobReadBatcher(dataSource, 2, 64), redisOfB, LONG, 100);
    a.start();
    b.start();
    try {
      assertThat(shardsDone(a)).isZero();
      assertThat(shardsDone(b)).isZero();
      setShardsDone(3);
      assertThat(shardsDone(a)).as("kept: nobody announced the change").isZero();
      assertThat(shardsDone(b)).isZero();

      a.changed(job);
      assertThat(shardsDone(a)).as("its own change, at once").isEqualTo(3);
      await().atMost(Duration.ofSeconds(5)).until(() -> shardsDone(b) == 3);
    } finally {
      a.stop();
      b.stop();
    }
  }

  @Test
  void theSchedulersNewsOfAJobDropsItsKeptRead() {
    JobReadCache cache =
        new JobReadCache(new JobReadBatcher(dataSource, 2, 64), redisOfA, LONG, 100);
    cache.start();
    try {
      assertThat(shardsDone(cache)).isZero();
      setShardsDone(4);
      assertThat(shardsDone(cache)).as("kept: no news yet").isZero();
      new JobNews(redisOfB).announce(job);
      await().atMost(Duration.ofSeconds(5)).until(() -> shardsDone(cache) == 4);
    } finally {
      cache.stop();
    }
  }

  @Test
  void anUnannouncedChangeShowsWithinTheLifetime() {
    JobReadCache cache =
        new JobReadCache(
            new JobReadBatcher(dataSource, 2, 64), redisOfA, Duration.ofMillis(300), 100);
    cache.start();
    try {
      assertThat(shardsDone(cache)).isZero();
      setShardsDone(5);
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> shardsDone(cache) == 5);
    } finally {
      cache.stop();
    }
  }

  @Test
  void aStrangerNeverSeesAKeptJobAndADeletedOneIsGone() {
    JobReadCache cache =
        new JobReadCache(new JobReadBatcher(dataSource, 2, 64), redisOfA, LONG, 100);
    cache.start();
    try {
      assertThat(cache.find(job, owner)).isPresent();
      assertThat(cache.find(job, UUID.randomUUID())).as("kept, but not theirs").isEmpty();
      jdbi.useHandle(h -> h.execute("delete from jobs where id = ?", job));
      cache.changed(job);
      assertThat(cache.find(job, owner)).isEmpty();
      assertThat(cache.find(UUID.randomUUID(), owner)).isEmpty();
    } finally {
      cache.stop();
    }
  }

  @Test
  void aLifetimeOfZeroReadsEveryPollFromTheDatabase() {
    JobReadCache off =
        new JobReadCache(new JobReadBatcher(dataSource, 2, 64), redisOfA, Duration.ZERO, 100);
    off.start();
    try {
      assertThat(shardsDone(off)).isZero();
      setShardsDone(2);
      assertThat(shardsDone(off)).isEqualTo(2);
    } finally {
      off.stop();
    }
  }

  private int shardsDone(JobReadCache cache) {
    return cache.find(job, owner).orElseThrow().job().shardsDone();
  }

  private void setShardsDone(int done) {
    jdbi.useHandle(h -> h.execute("update jobs set shards_done = ? where id = ?", done, job));
  }
}
