package dev.kiln.agent;

import dev.kiln.agent.processor.Processor;
import dev.kiln.agent.processor.Processors;
import dev.kiln.agent.tf.GpuInfo;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.tracing.OtlpTracing;
import dev.kiln.protocol.tracing.Tracing;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent process: reads its {@code KILN_*} settings ({@link AgentSettings}: the environment and,
 * for secrets, standard input), builds the real Redis work queue, the S3 store ({@link
 * AgentStorage}: instance-profile credentials on AWS), processors and registry, runs an {@link
 * Agent} until SIGTERM (drain with the configured grace) or an instance-metadata notice (drain
 * within the notice, then exit), or until the parent process named by {@code KILN_AGENT_PARENT_PID}
 * is gone.
 */
public final class AgentMain {
  private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);

  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    ParentWatch.fromEnvironment(System.getenv()).ifPresent(ParentWatch::start);
    Map<String, String> env = System.getenv();
    AgentConfig config = AgentConfig.fromEnvironment(AgentSettings.read(env, System.in));
    List<String> exposed = AgentSettings.secretsIn(env);
    if (!exposed.isEmpty()) {
      LOG.warn(
          "{} come from the environment, which code in this process (a model) can read; pass"
              + " them on standard input with {}=stdin",
          exposed,
          AgentSettings.SOURCE);
    }
    Clock clock = Clock.systemUTC();
    Files.createDirectories(config.modelCacheDir());
    Optional<InstanceMetadata> imds =
        config.imdsEndpoint().map(uri -> new InstanceMetadata(uri, Duration.ofSeconds(2)));
    Processors processors = Processors.discover(config.processors());
    AgentMetadata metadata = describe(imds, processors);
    PrometheusRegistry registry = new PrometheusRegistry();
    AgentMetrics metrics = AgentMetrics.registeredIn(registry);
    Optional<MetricsEndpoint> endpoint =
        MetricsEndpoint.Settings.fromEnvironment(env)
            .map(settings -> MetricsEndpoint.start(settings, registry));
    endpoint.ifPresent(served -> LOG.info("Metrics at :{}/metrics", served.port()));
    Tracing tracing = OtlpTracing.fromEnvironment("kiln-agent", env);
    RedissonClient redisson = RedisClients.create(config.redisUri(), 8);
    ObjectStore store = AgentStorage.create(config);
    Agent agent =
        new Agent(
            config,
            new RedisWorkQueue(redisson, clock),
            store,
            processors,
            new RedisAgentRegistry(redisson, config.visibility().multipliedBy(3)),
            metadata,
            clock,
            metrics,
            tracing);
    Optional<InterruptionWatcher> watcher =
        imds.map(
            client ->
                new InterruptionWatcher(
                    client,
                    config.imdsPollInterval(),
                    config.drainGrace(),
                    clock,
                    (reason, grace) -> {
                      agent.drain(reason, grace);
                      LOG.info("Drained after {}; exiting", reason);
                      System.exit(0);
                    }));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("Stopping: draining for at most {}", config.drainGrace());
                  watcher.ifPresent(InterruptionWatcher::close);
                  agent.close();
                  processors.close();
                  store.close();
                  redisson.shutdown();
                  endpoint.ifPresent(MetricsEndpoint::close);
                  tracing.close();
                  stopped.countDown();
                },
                "kiln-agent-shutdown"));
    agent.start();
    watcher.ifPresent(InterruptionWatcher::start);
    stopped.await();
  }

  /** What the agent is, from instance metadata when there is some, else from this host. */
  static AgentMetadata describe(Optional<InstanceMetadata> imds, Processors processors) {
    String device = "CPU";
    for (Processor processor : processors.all()) {
      String described = processor.describe();
      if (!described.isEmpty()) {
        device = described;
      }
    }
    String version =
        Optional.ofNullable(AgentMain.class.getPackage().getImplementationVersion()).orElse("dev");
    String instanceId = hostName();
    String instanceType = "local";
    String ami = "";
    if (imds.isPresent()) {
      try {
        instanceId = imds.get().get("instance-id").orElse(instanceId);
        instanceType = imds.get().get("instance-type").orElse(instanceType);
        ami = imds.get().get("ami-id").orElse(ami);
      } catch (IOException e) {
        LOG.warn(
            "Instance metadata cannot be read ({}); describing this host instead", e.getMessage());
      }
    }
    return new AgentMetadata(
        instanceId, instanceType, ami, version, GpuInfo.probe(), device, processors.names());
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
