package dev.kiln.simulator;

/** What happened to one group's fleet during a run. Not thread-safe. */
final class FleetCounters {
  int scaleEvents;
  int launches;
  int refusedLaunches;
  int rebalances;
  int interruptions;
  int shardsRerun;
  double busySeconds;
}
