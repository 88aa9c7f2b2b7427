package dev.kiln.protocol.news;

import dev.kiln.protocol.RedisKeys;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.UUID;
import java.util.function.Consumer;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.StatusListener;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topic {@value RedisKeys#JOB_NEWS}: the scheduler announces, after each commit, the jobs whose
 * state, progress or events changed; the API pushes the news to the jobs' open event streams. A
 * message is the job id alone: a listener reads what changed from PostgreSQL, the source of truth.
 * Pub/sub may drop a message while a connection is down, so a listener re-reads every stream when
 * its subscription comes back. Thread-safe.
 */
public final class JobNews {
  private static final Logger LOG = LoggerFactory.getLogger(JobNews.class);

  private final RTopic topic;

  public JobNews(RedissonClient redis) {
    this.topic = redis.getTopic(RedisKeys.JOB_NEWS, StringCodec.INSTANCE);
  }

  /** Announces a committed change to the job; never blocks, never throws. */
  public void announce(UUID jobId) {
    try {
      topic
          .publishAsync(jobId.toString())
          .whenComplete(
              (listeners, failure) -> {
                if (failure != null) {
                  LOG.debug("could not announce news of job {}: {}", jobId, failure.toString());
                }
              });
    } catch (RuntimeException e) {
      LOG.debug("could not announce news of job {}: {}", jobId, e.toString());
    }
  }

  /** Announces each distinct job once. */
  public void announceAll(Collection<UUID> jobIds) {
    for (UUID jobId : new LinkedHashSet<>(jobIds)) {
      announce(jobId);
    }
  }

  /**
   * Calls {@code onNews} with each announced job id, and {@code onResubscribed} whenever the
   * subscription is made (again, after a lost connection: messages may have been missed).
   */
  public Subscription subscribe(Consumer<UUID> onNews, Runnable onResubscribed) {
    int messages =
        topic.addListener(
            String.class,
            (channel, message) -> {
              UUID jobId;
              try {
                jobId = UUID.fromString(message);
              } catch (IllegalArgumentException notAnId) {
                LOG.warn("Ignoring a malformed job news message '{}'", message);
                return;
              }
              onNews.accept(jobId);
            });
    int status =
        topic.addListener(
            new StatusListener() {
              @Override
              public void onSubscribe(String channel) {
                onResubscribed.run();
              }

              @Override
              public void onUnsubscribe(String channel) {
                // Redisson subscribes again once the connection is back.
              }
            });
    return () -> {
      topic.removeListener(messages);
      topic.removeListener(status);
    };
  }

  /** A listener to remove. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
