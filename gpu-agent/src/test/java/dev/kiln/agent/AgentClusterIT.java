package dev.kiln.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.protocol.queue.QueueEvent;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardResult;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/** Several agents on one Redis queue over many shards: nothing lost, nothing twice, in order. */
@ExtendWith(KilnStackExtension.class)
class AgentClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void threeAgentsShareManyShardsWithoutLossOrDuplicates(TestStack stack) throws Exception {
    AgentHarness harness = new AgentHarness(stack);
    RedissonClient redisson = RedisClients.create(stack.redisUri(), 8);
    List<Agent> agents = new ArrayList<>();
    try {
      redisson.getKeys().flushall();
      RedisWorkQueue queue = new RedisWorkQueue(redisson, Clock.systemUTC());
      queue.ensureEpoch(1);
      List<List<ShardTask>> jobs = new ArrayList<>();
      int rowsPerJob = 6000;
      for (int j = 0; j < 8; j++) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < rowsPerJob; i++) {
          text.append("{\"id\":")
              .append(i)
              .append(",\"job\":")
              .append(j)
              .append(",\"pad\":\"")
              .append("p".repeat((i * 7 + j) % 30))
              .append("\"}\n");
        }
        byte[] input = text.toString().getBytes(StandardCharsets.UTF_8);
        jobs.add(
            harness.job(
                "parse",
                harness.upload("in" + j + ".jsonl", input),
                input.length,
                65536,
                "JSONL",
                null,
                null,
                Map.of("batchSize", "97")));
      }
      int shards = jobs.stream().mapToInt(List::size).sum();
      jobs.forEach(queue::enqueue);
      for (int a = 0; a < 3; a++) {
        Agent agent =
            new Agent(
                harness.config("agent-" + a, Map.of("KILN_AGENT_LEASE_BATCH", "2")),
                queue,
                harness.store,
                AgentHarness.processors(),
                new RedisAgentRegistry(redisson, Duration.ofSeconds(30)),
                AgentHarness.metadata(),
                Clock.systemUTC());
        agents.add(agent);
        agent.start();
      }
      List<QueueEvent> events = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () -> {
                List<QueueEvent> read = queue.readEvents(500);
                queue.acknowledge(read);
                events.addAll(read);
                return events.size() >= shards;
              });
      Thread.sleep(500);
      events.addAll(queue.readEvents(500));

      Map<String, ShardResult> completed = new HashMap<>();
      for (QueueEvent event : events) {
        assertThat(event.isCompletion()).isTrue();
        assertThat(completed.put(TestWorkQueue.key(event.jobId(), event.idx()), event.result()))
            .as("a second completion of %s", event.ref())
            .isNull();
      }
      assertThat(completed).hasSize(shards);
      for (int j = 0; j < jobs.size(); j++) {
        String[] lines = harness.assemble(jobs.get(j), completed).split("\n");
        assertThat(lines).hasSize(rowsPerJob);
        for (int i = 0; i < rowsPerJob; i++) {
          var node = JSON.readTree(lines[i]);
          assertThat(node.get("id").asInt()).isEqualTo(i);
          assertThat(node.get("job").asInt()).isEqualTo(j);
        }
      }
      assertThat(agents.stream().mapToLong(Agent::shardsDone).sum()).isEqualTo(shards);
      assertThat(agents).allSatisfy(agent -> assertThat(agent.shardsDone()).isPositive());
    } finally {
      agents.forEach(Agent::close);
      redisson.shutdown();
    }
  }
}
