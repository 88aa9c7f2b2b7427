package dev.kiln.agent;

import dev.kiln.agent.drain.AutoScalingTerminationHook;
import dev.kiln.agent.drain.DrainCoordinator;
import dev.kiln.agent.drain.DrainSettings;
import dev.kiln.agent.drain.DrainSignals;
import dev.kiln.agent.drain.TerminationHook;
import dev.kiln.agent.processor.Processor;
import dev.kiln.agent.processor.Processors;
import dev.kiln.agent.tf.GpuInfo;
import dev.kiln.model.fleet.PurchaseOption;
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
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

/**
 * The agent process: reads its {@code KILN_*} settings ({@link AgentSettings}: the environment and,
 * for secrets, standard input), builds the real Redis work queue, the S3 store ({@link
 * AgentStorage}: instance-profile credentials on AWS), processors and registry, runs an {@link
 * Agent} until SIGTERM (drain with the configured grace) or a drain signal ({@link DrainSignals}:
 * spot notice, termination lifecycle hook, {@code kiln:drain} tag, rebalance recommendation; then
 * {@link DrainCoordinator}: drain, end the instance through its group, complete the lifecycle
 * action, exit), or until the parent process named by {@code KILN_AGENT_PARENT_PID} is gone.
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
    DrainSettings drainSettings = DrainSettings.fromEnvironment(env);
    Optional<AutoScalingClient> autoScaling =
        imds.isPresent() && drainSettings.group().isPresent()
            ? Optional.of(
                AutoScalingClient.builder()
                    .region(Region.of(config.s3().region()))
                    .credentialsProvider(AgentStorage.credentials(config))
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .build())
            : Optional.empty();
    Optional<DrainSignals> signals =
        imds.map(
            client ->
                new DrainSignals(client, config.drainGrace(), config.imdsPollInterval(), clock));
    Optional<TerminationHook> hook =
        autoScaling.map(
            client ->
                new AutoScalingTerminationHook(
                    client, drainSettings.group().orElseThrow(), drainSettings.hook()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("Stopping: draining for at most {}", config.drainGrace());
                  signals.ifPresent(DrainSignals::close);
                  agent.close();
                  processors.close();
                  store.close();
                  redisson.shutdown();
                  autoScaling.ifPresent(AutoScalingClient::close);
                  endpoint.ifPresent(MetricsEndpoint::close);
                  tracing.close();
                  stopped.countDown();
                },
                "kiln-agent-shutdown"));
    agent.start();
    signals.ifPresent(
        watched ->
            watched.watch(
                signal -> {
                  new DrainCoordinator(
                          watched,
                          agent::drain,
                          hook,
                          metadata.instanceId(),
                          clock,
                          drainSettings.terminationWait(),
                          config.imdsPollInterval())
                      .handle(signal);
                  LOG.info("Drained after {}; exiting", signal.reason());
                  System.exit(0);
                }));
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
    PurchaseOption purchase = PurchaseOption.LOCAL;
    String zone = null;
    if (imds.isPresent()) {
      try {
        instanceId = imds.get().get("instance-id").orElse(instanceId);
        instanceType = imds.get().get("instance-type").orElse(instanceType);
        ami = imds.get().get("ami-id").orElse(ami);
        purchase = purchaseOption(imds.get().get("instance-life-cycle"));
        zone = imds.get().get("placement/availability-zone").orElse(null);
      } catch (IOException e) {
        LOG.warn(
            "Instance metadata cannot be read ({}); describing this host instead", e.getMessage());
      }
    }
    return new AgentMetadata(
        instanceId,
        instanceType,
        ami,
        version,
        GpuInfo.probe(),
        device,
        processors.names(),
        purchase,
        zone);
  }

  /** EC2's {@code instance-life-cycle}: spot or on-demand; on-demand when it says nothing known. */
  static PurchaseOption purchaseOption(Optional<String> lifeCycle) {
    try {
      return lifeCycle.map(PurchaseOption::parse).orElse(PurchaseOption.ON_DEMAND);
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "Instance metadata names an unknown life cycle ({}); pricing it on-demand", lifeCycle);
      return PurchaseOption.ON_DEMAND;
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
