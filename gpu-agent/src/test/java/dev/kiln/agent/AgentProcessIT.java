package dev.kiln.agent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.model.fleet.AgentState;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.protocol.queue.QueueEvent;
import dev.kiln.protocol.queue.QueueStats;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

/**
 * AgentMain as a real process: it takes its secrets on standard input, registers, works, and drains
 * on SIGTERM.
 */
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
      builder.environment().keySet().removeIf(name -> name.startsWith("KILN_"));
      builder
          .environment()
          .putAll(
              harness.env(
                  "agent-process",
                  Map.of(
                      "KILN_AGENT_PROCESSORS", "parse",
                      "KILN_AGENT_DRAIN_GRACE_SECONDS", "5",
                      "KILN_AGENT_SETTINGS", "stdin")));
      process = builder.start();
      // The S3 keys go on standard input, so a model cannot read them from the environment.
      try (OutputStream stdin = process.getOutputStream()) {
        for (Map.Entry<String, String> secret : harness.secrets().entrySet()) {
          stdin.write((secret.getKey() + "=" + secret.getValue() + "\n").getBytes(UTF_8));
        }
      }

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> queue.readEvents(100).size() == tasks.size());
      List<QueueEvent> events = queue.readEvents(100);
      // the agent read its inputs and wrote its parts with the keys from standard input
      assertThat(events).allSatisfy(event -> assertThat(event.isCompletion()).isTrue());
      String environ =
          Files.readString(Path.of("/proc", String.valueOf(process.pid()), "environ"), UTF_8);
      assertThat(environ)
          .contains("KILN_AGENT_SETTINGS=stdin")
          .doesNotContain(harness.stack.s3().secretKey());
      var registry =
          redisson.<String, String>getMap(RedisKeys.agent("agent-process"), StringCodec.INSTANCE);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> AgentState.RUNNING.name().equals(registry.get("state")));
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
