package dev.kiln.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisServiceIT {

  @TempDir Path dataDir;

  @Test
  void runsTheBinaryBundledWithEmbeddedRedis() throws Exception {
    try (RedisService redis =
        RedisService.start(dataDir, RedisService.bundledExecutable(dataDir))) {
      assertRedisWorks(redis);
      assertThat(EmbeddedStackIT.redis(redis.uri(), "INFO server")).startsWith("$");
    }
  }

  @Test
  void prefersRedisServerFromThePath() throws Exception {
    Optional<Path> onPath = RedisService.onPath("redis-server");
    assumeThat(onPath).as("redis-server on PATH").isPresent();

    assertThat(RedisService.findExecutable(dataDir)).isEqualTo(onPath.get());
    try (RedisService redis = RedisService.start(dataDir)) {
      assertRedisWorks(redis);
    }
  }

  @Test
  void stopsTheServerOnClose() throws Exception {
    RedisService redis = RedisService.start(dataDir);
    long pid = redis.pid();
    redis.close();
    redis.close();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  private static void assertRedisWorks(RedisService redis) throws Exception {
    assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
    assertThat(EmbeddedStackIT.redis(redis.uri(), "SET k v")).isEqualTo("+OK");
    assertThat(EmbeddedStackIT.redis(redis.uri(), "CONFIG GET save")).isEqualTo("*2");
    assertThat(EmbeddedStackIT.redis(redis.uri(), "GET k")).isEqualTo("$1");
  }
}
