package dev.kiln.scheduler;

import dev.kiln.dropwizard.DatabaseFactory;
import dev.kiln.dropwizard.Lifecycles;
import dev.kiln.dropwizard.PrometheusEndpoint;
import dev.kiln.model.fleet.Fleet;
import dev.kiln.protocol.fleet.AgentStatusStore;
import dev.kiln.protocol.fleet.FleetDecisionStore;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.scheduler.autoscale.Autoscaler;
import dev.kiln.scheduler.fleet.FleetFactory;
import dev.kiln.scheduler.leader.LeaderOnlyPoller;
import dev.kiln.scheduler.leader.Leadership;
import dev.kiln.scheduler.metrics.CloudWatchFactory;
import dev.kiln.scheduler.metrics.CloudWatchPublisher;
import dev.kiln.scheduler.metrics.EstateGauges;
import dev.kiln.scheduler.notify.Notifier;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/** The scheduler process: no public API, an admin port with health checks and metrics. */
public class KilnSchedulerApplication extends Application<KilnSchedulerConfiguration> {
  private final Clock clock = Clock.systemUTC();
  private volatile Fleet fleet;

  public static void main(String[] args) throws Exception {
    new KilnSchedulerApplication().run(args);
  }

  @Override
  public String getName() {
    return "kiln-scheduler";
  }

  @Override
  public void initialize(Bootstrap<KilnSchedulerConfiguration> bootstrap) {
    // ${KILN_...} in the YAML come from the environment; an undefined one without a default fails.
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
  }

  @Override
  public void run(KilnSchedulerConfiguration config, Environment environment) {
    Jdbi jdbi = DatabaseFactory.build(config.getDatabase(), environment, "postgres").jdbi();
    RedissonClient redisson = config.getRedis().build(environment);
    ObjectStore store = config.getS3().build(environment);
    PrometheusRegistry prometheus = PrometheusEndpoint.install(environment).registry();
    Scheduler scheduler =
        config
            .getScheduler()
            .build(
                environment,
                prometheus,
                jdbi,
                redisson,
                store,
                config.getTracing().build(environment, getName()),
                clock);
    EstateGauges.register(
        prometheus,
        scheduler.queue()::stats,
        jdbi,
        new AgentStatusStore(redisson),
        config.getPricing().pricing(),
        clock);
    notifyOwners(config, environment, jdbi, scheduler);
    publishToCloudWatch(config, environment, redisson, scheduler.leadership());
    fleet = config.getFleet().build(environment, redisson).orElse(null);
    if (fleet != null) {
      Autoscaler autoscaler = autoscaler(config, jdbi, redisson, scheduler);
      runOnTheLeader(autoscaler, config.getFleet(), scheduler.leadership(), environment);
    }
  }

  /** Runs the notify stage on the leader, started after the scheduler and stopped before it. */
  private void notifyOwners(
      KilnSchedulerConfiguration config, Environment environment, Jdbi jdbi, Scheduler scheduler) {
    Notifier notifier =
        new Notifier(
            jdbi,
            scheduler.leadership(),
            config.getNotifications().settings(),
            config.getPricing().pricing(),
            config.getScheduler().getTick().toJavaDuration(),
            clock,
            environment.metrics());
    environment.lifecycle().manage(Lifecycles.managed(notifier::start, notifier::close));
  }

  /** Publishes the metrics the CloudWatch alarms watch, on the leader, when configured. */
  private void publishToCloudWatch(
      KilnSchedulerConfiguration config,
      Environment environment,
      RedissonClient redisson,
      Leadership leadership) {
    CloudWatchFactory cloudWatch = config.getCloudWatch();
    if (!cloudWatch.isEnabled()) {
      return;
    }
    CloudWatchClient client = cloudWatch.client();
    CloudWatchPublisher publisher =
        new CloudWatchPublisher(
            client,
            new FleetDecisionStore(redisson),
            cloudWatch.getEstate(),
            config.getFleet().limits().maxAgents(),
            clock);
    LeaderOnlyPoller poller =
        new LeaderOnlyPoller(
            "cloudwatch",
            cloudWatch.getInterval().toJavaDuration(),
            leadership::isLeader,
            publisher::publish,
            environment.metrics());
    environment
        .lifecycle()
        .manage(
            Lifecycles.managed(
                poller::start,
                () -> {
                  poller.stop();
                  client.close();
                }));
  }

  /** The fleet this process sizes, or null when {@code fleet.type} is {@code none}. */
  public Fleet fleet() {
    return fleet;
  }

  private Autoscaler autoscaler(
      KilnSchedulerConfiguration config, Jdbi jdbi, RedissonClient redisson, Scheduler scheduler) {
    return new Autoscaler(
        fleet,
        scheduler.queue()::stats,
        jdbi,
        redisson,
        config.getFleet().limits(),
        config.getPricing().pricing(),
        clock);
  }

  /** Runs the autoscaler every {@code fleet.interval} on the leader, from start to stop. */
  private static void runOnTheLeader(
      Autoscaler autoscaler,
      FleetFactory fleetConfig,
      Leadership leadership,
      Environment environment) {
    LeaderOnlyPoller poller =
        new LeaderOnlyPoller(
            "autoscaler",
            fleetConfig.getInterval().toJavaDuration(),
            leadership::isLeader,
            autoscaler::tick,
            environment.metrics());
    environment.lifecycle().manage(Lifecycles.managed(poller::start, poller::stop));
  }
}
