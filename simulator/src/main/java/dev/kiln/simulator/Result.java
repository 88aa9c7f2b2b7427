package dev.kiln.simulator;

import java.util.List;

/**
 * What one run of a trace under one fleet cost and how long people waited.
 *
 * @param trace the trace's name
 * @param fleet the groups and their policies, as a table shows them
 * @param costUsd total spend on instances
 * @param spotUsd the part spent on spot instances
 * @param onDemandUsd the part spent on on-demand instances
 * @param waitFirstP50 median seconds from submission to the first shard's start
 * @param waitFirstP95 95th percentile of the same
 * @param completionP50 median seconds from submission to the job's last shard
 * @param completionP95 95th percentile of the same (infinite when a job never finished)
 * @param utilisation useful shard-seconds over billed agent-seconds
 * @param scaleEvents how often a group's desired capacity changed
 * @param launches instances launched
 * @param refusedLaunches spot launches the pool refused
 * @param interruptions spot instances reclaimed
 * @param shardsRerun shards released or lost and run again
 * @param jobsDone jobs finished
 * @param jobs jobs submitted
 * @param samples backlog, agents and spend over time
 */
public record Result(
    String trace,
    String fleet,
    double costUsd,
    double spotUsd,
    double onDemandUsd,
    double waitFirstP50,
    double waitFirstP95,
    double completionP50,
    double completionP95,
    double utilisation,
    int scaleEvents,
    int launches,
    int refusedLaunches,
    int interruptions,
    int shardsRerun,
    int jobsDone,
    int jobs,
    List<Sample> samples) {

  /**
   * The state at one instant of the run.
   *
   * @param atSeconds simulated time
   * @param backlog shards queued, all groups
   * @param agents instances alive, all groups
   * @param spendUsd spend so far
   */
  public record Sample(double atSeconds, long backlog, int agents, double spendUsd) {}
}
