package dev.kiln.scheduler;

import dev.kiln.dropwizard.DatabaseFactory;
import dev.kiln.dropwizard.Lifecycles;
import dev.kiln.dropwizard.PrometheusEndpoint;
import dev.kiln.model.fleet.Fleet;
import dev.kiln.protocol.fleet.AgentStatusStore;
import dev.kiln.protocol.queue.QueueStats;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.scheduler.autoscale.Autoscaler;
import dev.kiln.scheduler.credits.CreditSettler;
import dev.kiln.scheduler.fleet.FleetFactory;
import dev.kiln.scheduler.leader.LeaderOnlyPoller;
import dev.kiln.scheduler.leader.Leadership;
import dev.kiln.scheduler.metrics.BacklogMetric;
import dev.kiln.scheduler.metrics.EstateGauges;
import dev.kiln.scheduler.notify.Notifier;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;

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
    settleCredits(config, environment, jdbi, scheduler);
    config
        .getPrices()
        .build(
            environment,
            prometheus,
            jdbi,
            scheduler.leadership(),
            List.copyOf(config.getPricing().getInstances().keySet()),
            clock);
    fleet = config.getFleet().build(environment, redisson).orElse(null);
    Set<String> grouped = new HashSet<>();
    config.getGroups().forEach(group -> grouped.addAll(group.getProcessors()));
    if (fleet != null) {
      Supplier<QueueStats> backlog =
          grouped.isEmpty()
              ? scheduler.queue()::stats
              : () -> scheduler.queue().stats(grouped, false);
      Autoscaler autoscaler =
          autoscaler(
              config,
              config.getFleet(),
              fleet,
              backlog,
              jdbi,
              redisson,
              "",
              backlogMetric(config.getFleet(), environment));
      runOnTheLeader(autoscaler, config.getFleet(), scheduler.leadership(), environment);
    }
    for (FleetFactory group : config.getGroups()) {
      Optional<Fleet> groupFleet = group.build(environment, redisson);
      if (groupFleet.isPresent()) {
        Set<String> processors = Set.copyOf(group.getProcessors());
        Autoscaler autoscaler =
            autoscaler(
                config,
                group,
                groupFleet.get(),
                () -> scheduler.queue().stats(processors, true),
                jdbi,
                redisson,
                String.join("+", new TreeSet<>(processors)),
                shards -> {});
        runOnTheLeader(autoscaler, group, scheduler.leadership(), environment);
      }
    }
  }

  /** Runs the notify stage on the leader, started after the scheduler and stopped before it. */
  private void notifyOwners(
      KilnSchedulerConfiguration config, Environment environment, Jdbi jdbi, Scheduler scheduler) {
    Notifier notifier =
        new Notifier(
            jdbi,
            scheduler.leadership(),
            scheduler.workSignals(),
            config.getNotifications().settings(),
            config.getPricing().pricing(),
            config.getScheduler().getTick().toJavaDuration(),
            clock,
            environment.metrics());
    environment.lifecycle().manage(Lifecycles.managed(notifier::start, notifier::close));
  }

  /** Settles the prepaid credits of finished jobs on the leader, as runs end. */
  private void settleCredits(
      KilnSchedulerConfiguration config, Environment environment, Jdbi jdbi, Scheduler scheduler) {
    CreditSettler settler = new CreditSettler(jdbi, config.getPricing().priceTable(), clock);
    LeaderOnlyPoller poller =
        LeaderOnlyPoller.wakeable(
            "credit-settler",
            config.getScheduler().getTick().toJavaDuration(),
            scheduler.leadership()::isLeader,
            settler::tick,
            environment.metrics());
    scheduler.workSignals().subscribe(poller::wake);
    environment.lifecycle().manage(Lifecycles.managed(poller::start, poller::stop));
  }

  /** The fleet this process sizes, or null when {@code fleet.type} is {@code none}. */
  public Fleet fleet() {
    return fleet;
  }

  /**
   * The autoscaler of one agent group, sized from {@code backlog}; {@code group} is empty for the
   * main fleet (whose decision the console shows) and names the processors of any other.
   */
  private Autoscaler autoscaler(
      KilnSchedulerConfiguration config,
      FleetFactory settings,
      Fleet groupFleet,
      Supplier<QueueStats> backlog,
      Jdbi jdbi,
      RedissonClient redisson,
      String group,
      LongConsumer queuedAtMaxFleet) {
    return new Autoscaler(
        groupFleet,
        backlog,
        jdbi,
        redisson,
        group,
        settings.limits(),
        settings.getScaleUpStep(),
        config.getPricing().pricing(),
        clock,
        queuedAtMaxFleet);
  }

  /**
   * Where the main fleet's autoscaler reports the shards waiting while the fleet cannot grow: the
   * CloudWatch agent's metric socket when {@code fleet.metricsAddress} is set, nowhere otherwise.
   */
  private LongConsumer backlogMetric(FleetFactory fleetConfig, Environment environment) {
    Optional<InetSocketAddress> agent = fleetConfig.metricsAddress();
    if (agent.isEmpty()) {
      return shards -> {};
    }
    BacklogMetric metric;
    try {
      metric =
          new BacklogMetric(
              agent.get(), fleetConfig.getEstate(), fleetConfig.getMetricsLogGroup(), clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a socket for the backlog metric", e);
    }
    environment.lifecycle().manage(Lifecycles.managed(() -> {}, metric::close));
    return metric;
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
