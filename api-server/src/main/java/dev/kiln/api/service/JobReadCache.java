package dev.kiln.api.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kiln.db.JobReadBatcher;
import dev.kiln.db.JobReads.JobWithInputs;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.protocol.news.JobNews;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs as their owners poll them, kept in this process for a short lifetime: an impatient owner's
 * polls then cost no database round trip. What the API itself changes (cancel, retry, delete) is
 * dropped at once here and, through the Redis topic {@value #TOPIC}, in every other API process.
 * What the scheduler changes (progress, state, outputs) is dropped when its {@link JobNews}
 * arrives, so a client that saw a change on the job's event stream reads it too; all is dropped
 * when the news subscription is made again (news may have been missed meanwhile), and a missed
 * message still shows within the lifetime (default one second). A lifetime of zero turns the cache
 * off. Reads that go to the database, cached or not, go through a {@link JobReadBatcher}, so
 * concurrent polls share round trips. Thread-safe.
 */
public final class JobReadCache implements Managed {
  static final String TOPIC = RedisKeys.JOBS_CHANGED;
  private static final Logger LOG = LoggerFactory.getLogger(JobReadCache.class);

  private final JobReadBatcher database;
  private final RTopic topic;
  private final JobNews news;
  private final Cache<UUID, JobWithInputs> entries;
  private final boolean enabled;
  private int listener = -1;
  private JobNews.Subscription newsSubscription;

  public JobReadCache(
      JobReadBatcher database, RedissonClient redis, Duration lifetime, int maxJobs) {
    this.database = database;
    this.topic = redis.getTopic(TOPIC, StringCodec.INSTANCE);
    this.news = new JobNews(redis);
    this.enabled = !lifetime.isZero();
    this.entries = Caffeine.newBuilder().maximumSize(maxJobs).expireAfterWrite(lifetime).build();
  }

  /** Listens for changes made by other API processes and by the scheduler. */
  @Override
  public void start() {
    if (enabled) {
      listener = topic.addListener(String.class, (channel, id) -> forget(id));
      newsSubscription = news.subscribe(entries::invalidate, entries::invalidateAll);
    }
  }

  @Override
  public void stop() {
    if (listener >= 0) {
      topic.removeListener(listener);
    }
    if (newsSubscription != null) {
      newsSubscription.close();
    }
  }

  /** The owner's job with its inputs, or empty when it does not exist or is someone else's. */
  public Optional<JobWithInputs> find(UUID jobId, UUID ownerId) {
    if (!enabled) {
      return findFresh(jobId, ownerId);
    }
    JobWithInputs found = entries.get(jobId, id -> database.find(id).orElse(null));
    return Optional.ofNullable(found).filter(job -> job.isOwnedBy(ownerId));
  }

  /** As {@link #find}, read from the database whatever this process holds. */
  public Optional<JobWithInputs> findFresh(UUID jobId, UUID ownerId) {
    return database.findForOwner(jobId, ownerId);
  }

  /** Call after committing a change to the job: its next read, in any API process, is fresh. */
  public void changed(UUID jobId) {
    entries.invalidate(jobId);
    try {
      topic.publish(jobId.toString());
    } catch (RuntimeException e) {
      LOG.warn(
          "Could not announce a change to job {}; other API processes show it within their job"
              + " read lifetime",
          jobId,
          e);
    }
  }

  private void forget(String jobId) {
    try {
      entries.invalidate(UUID.fromString(jobId));
    } catch (IllegalArgumentException notAnId) {
      LOG.warn("Ignoring a malformed job change message '{}'", jobId);
    }
  }
}
