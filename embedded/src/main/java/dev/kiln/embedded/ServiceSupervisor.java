package dev.kiln.embedded;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the stack's server processes (PostgreSQL, Redis) every interval and starts one that died
 * (a kill -9, the OOM killer) again, on the same port and data directory, so the processes using it
 * reconnect to the address they had. Logs one line per restart; a restart that fails is logged
 * once, tried again every interval, and its success logged once. Thread-safe.
 */
final class ServiceSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceSupervisor.class);

  private final List<Supervised> services;
  private final ScheduledExecutorService timer;
  private final Map<Supervised, String> failing = new LinkedHashMap<>();

  private ServiceSupervisor(List<Supervised> services) {
    this.services = List.copyOf(services);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "kiln-service-supervisor");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts checking {@code services} every {@code interval}. */
  static ServiceSupervisor start(List<Supervised> services, Duration interval) {
    ServiceSupervisor supervisor = new ServiceSupervisor(services);
    long millis = Math.max(1, interval.toMillis());
    supervisor.timer.scheduleWithFixedDelay(
        supervisor::checkAll, millis, millis, TimeUnit.MILLISECONDS);
    return supervisor;
  }

  /** One pass over the services; restarts those whose process is gone. */
  synchronized void checkAll() {
    for (Supervised service : services) {
      try {
        if (!service.isRunning()) {
          long begin = System.nanoTime();
          String started = service.restart();
          LOG.warn(
              "{} had died; started again ({}) in {} ms",
              service.name(),
              started,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
          failing.remove(service);
        }
      } catch (RuntimeException e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        if (failing.put(service, reason) == null) {
          LOG.error("{} died and could not be started again, retrying: {}", service.name(), reason);
        }
      }
    }
  }

  /** Stops checking; a restart under way finishes first. Idempotent. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
