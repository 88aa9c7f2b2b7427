package dev.kiln.protocol.redis;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/** Builds Redisson clients from a {@code redis://} or {@code rediss://} URI. Stateless. */
public final class RedisClients {
  private RedisClients() {}

  /**
   * A client for one Redis server (ElastiCache with TLS: {@code rediss://:token@host:6379}).
   * Strings are the codec: every key and value Kiln writes is text. Redisson object references are
   * off: Kiln stores no Redisson objects as values, and looking for them in every element of a
   * script's reply costs a class-annotation check per element.
   */
  public static RedissonClient create(String uri, int connectionPoolSize) {
    Config config = new Config();
    config.setCodec(StringCodec.INSTANCE);
    config.setReferenceEnabled(false);
    config
        .useSingleServer()
        .setAddress(uri)
        .setConnectionPoolSize(connectionPoolSize)
        .setConnectionMinimumIdleSize(Math.min(4, connectionPoolSize))
        .setTimeout(5_000)
        .setRetryAttempts(2);
    return Redisson.create(config);
  }
}
