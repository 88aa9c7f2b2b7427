package dev.kiln.agent;

import dev.kiln.model.fleet.AgentState;
import dev.kiln.protocol.RedisKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.protocol.queue.QueueStats;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** AgentMain as a real process: it registers, works, and drains on SIGTERM. */
@ExtendWith(KilnStackExtension.class)
class AgentProcessIT {
  @Test
  void sigtermDrainsReleasesAndDeregisters(TestStack stack) throws Exception {
    AgentHarness harness = new AgentHarness(stack);
    RedissonClient redisson = RedisClients.create(stack.redisUri(), 2);
    Process process = null;
    try {
      redisson.getKeys().flushall();
      RedisWorkQueue queue = new RedisWorkQueue(redisson, Clock.systemUTC());
      queue.ensureEpoch(1);
      byte[] input = "1\n2\n3\n4\n5\n6\n7\n8\n".getBytes(StandardCharsets.UTF_8);
      String key = harness.upload("slow.txt", input);
      UUID jobId = UUID.randomUUID();
      List<ShardTask> tasks = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        tasks.add(
            new ShardTask(
                jobId,
                i,
                harness.owner,
                "parse",
                0,
                3,
                stack.uploadsBucket(),
                key,
                0,
                input.length,
                input.length,
                "TEXT",
                null,
                null,
                null,
                Map.of(),
                stack.resultsBucket()));
      }
      queue.enqueue(tasks);

      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  AgentMain.class.getName())
              .redirectErrorStream(true)
              .redirectOutput(stack.tempDir().resolve("agent.log").toFile());
      builder
          .environment()
          .putAll(
              harness.env(
                  "agent-process",
                  Map.of(
                      "KILN_AGENT_PROCESSORS", "parse",
                      "KILN_AGENT_DRAIN_GRACE_SECONDS", "5")));
      process = builder.start();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> queue.readEvents(100).size() == tasks.size());
      var registry =
          redisson.<String, String>getMap(RedisKeys.agent("agent-process"), StringCodec.INSTANCE);
      await().atMost(Duration.ofSeconds(30)).until(() -> AgentState.RUNNING.name().equals(registry.get("state")));
      assertThat(registry.get("processors")).isEqualTo("parse");
      assertThat(registry.get("instanceType")).isEqualTo("local");

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(redisson.getKeys().countExists(RedisKeys.agent("agent-process"))).isZero();
      QueueStats stats = queue.stats();
      assertThat(stats.leased()).isZero();
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
      redisson.shutdown();
    }
    assertThat(new File(stack.tempDir().resolve("agent.log").toString()))
        .content()
        .contains("Agent agent-process stopped");
  }
}
