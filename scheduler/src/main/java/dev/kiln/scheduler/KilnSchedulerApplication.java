package dev.kiln.scheduler;

import dev.kiln.dropwizard.DatabaseFactory;
import dev.kiln.dropwizard.Lifecycles;
import dev.kiln.model.fleet.Fleet;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.scheduler.autoscale.Autoscaler;
import dev.kiln.scheduler.fleet.FleetFactory;
import dev.kiln.scheduler.leader.LeaderOnlyPoller;
import dev.kiln.scheduler.leader.LeadershipHealthCheck;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;

/** The scheduler process: no public API, an admin port with health checks and metrics. */
public class KilnSchedulerApplication extends Application<KilnSchedulerConfiguration> {
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
    Scheduler scheduler =
        new Scheduler(
            jdbi,
            redisson,
            store,
            config.getScheduler().settings(),
            Clock.systemUTC(),
            environment.metrics());
    environment.lifecycle().manage(Lifecycles.managed(scheduler::start, scheduler::close));
    environment
        .healthChecks()
        .register(
            "leadership",
            new LeadershipHealthCheck(scheduler.leadership(), scheduler.queue()::stats));
    startAutoscaler(config.getFleet(), environment, jdbi, redisson, scheduler);
  }

  /** The fleet this process sizes, or null when {@code fleet.type} is {@code none}. */
  public Fleet fleet() {
    return fleet;
  }

  private void startAutoscaler(
      FleetFactory fleetConfig,
      Environment environment,
      Jdbi jdbi,
      RedissonClient redisson,
      Scheduler scheduler) {
    Optional<Fleet> built = fleetConfig.build(environment, redisson);
    if (built.isEmpty()) {
      return;
    }
    fleet = built.get();
    Autoscaler autoscaler =
        new Autoscaler(
            fleet,
            scheduler.queue()::stats,
            jdbi,
            redisson,
            fleetConfig.limits(),
            fleetConfig.agentHourlyPriceUsd,
            Clock.systemUTC());
    LeaderOnlyPoller poller =
        new LeaderOnlyPoller(
            "autoscaler",
            fleetConfig.interval.toJavaDuration(),
            scheduler.leadership()::isLeader,
            autoscaler::tick,
            environment.metrics());
    environment.lifecycle().manage(Lifecycles.managed(poller::start, poller::stop));
  }
}
