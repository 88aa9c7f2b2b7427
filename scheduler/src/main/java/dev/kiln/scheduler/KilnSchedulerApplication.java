package dev.kiln.scheduler;

import dev.kiln.core.dropwizard.DatabaseFactory;
import dev.kiln.core.storage.ObjectStore;
import dev.kiln.scheduler.core.Scheduler;
import dev.kiln.scheduler.health.LeadershipHealthCheck;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;

/** The scheduler process: no public API, an admin port with health checks and metrics. */
public class KilnSchedulerApplication extends Application<KilnSchedulerConfiguration> {
  public static void main(String[] args) throws Exception {
    new KilnSchedulerApplication().run(args);
  }

  @Override
  public String getName() {
    return "kiln-scheduler";
  }

  @Override
  public void run(KilnSchedulerConfiguration config, Environment environment) {
    Jdbi jdbi = DatabaseFactory.build(config.getDatabase(), environment, "postgres");
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
    environment
        .lifecycle()
        .manage(
            new Managed() {
              @Override
              public void start() {
                scheduler.start();
              }

              @Override
              public void stop() {
                scheduler.close();
              }
            });
    environment.healthChecks().register("leadership", new LeadershipHealthCheck(scheduler));
  }
}
