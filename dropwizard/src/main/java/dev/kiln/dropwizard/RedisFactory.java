package dev.kiln.dropwizard;

import com.codahale.metrics.health.HealthCheck;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.protocol.redis.RedisClients;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import org.redisson.api.RedissonClient;

/** Configuration for Redis; {@link #build} creates the client, its lifecycle and health check. */
public class RedisFactory {
  @NotEmpty private String uri = "redis://127.0.0.1:6379";

  @Min(1)
  private int connectionPoolSize = 32;

  public String getUri() {
    return uri;
  }

  public void setUri(String uri) {
    this.uri = uri;
  }

  public int getConnectionPoolSize() {
    return connectionPoolSize;
  }

  public void setConnectionPoolSize(int connectionPoolSize) {
    this.connectionPoolSize = connectionPoolSize;
  }

  public RedissonClient build(Environment environment) {
    RedissonClient redisson = RedisClients.create(uri, connectionPoolSize);
    environment
        .lifecycle()
        .manage(
            new Managed() {
              @Override
              public void stop() {
                redisson.shutdown();
              }
            });
    environment
        .healthChecks()
        .register(
            "redis",
            new HealthCheck() {
              @Override
              protected Result check() {
                redisson.getBucket(RedisKeys.HEALTH_PROBE).isExists();
                return Result.healthy();
              }
            });
    return redisson;
  }
}
