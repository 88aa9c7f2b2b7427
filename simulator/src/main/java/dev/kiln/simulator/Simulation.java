package dev.kiln.simulator;

import dev.kiln.model.fleet.AgentGroup;
import dev.kiln.model.plan.ByteRange;
import dev.kiln.model.plan.ShardPlanner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Runs one trace through one fleet: submissions are planned into shards by the model's {@link
 * ShardPlanner}, routed to the cheapest group that fits the processor's needs ({@link
 * AgentGroup#cheapestFitting}), and every group's policy looks at its own backlog every {@code
 * lookSeconds}, as the scheduler's autoscaler does. Deterministic: the same inputs and seed give
 * the same result. Not thread-safe; one run per instance.
 */
public final class Simulation {
  /** The scheduler's {@code fleet.interval}. */
  public static final double LOOK_SECONDS = 5;

  private static final double SAMPLE_SECONDS = 60;
  private static final double GIVE_UP_AFTER_SECONDS = 14 * 86_400;

  private final Trace trace;
  private final List<GroupSpec> groups;
  private final FleetRealities realities;
  private final long seed;

  public Simulation(Trace trace, List<GroupSpec> groups, FleetRealities realities, long seed) {
    this.trace = trace;
    this.groups = List.copyOf(groups);
    this.realities = realities;
    this.seed = seed;
  }

  public Result run() {
    EventQueue events = new EventQueue();
    Map<String, GroupRun> runs = new LinkedHashMap<>();
    for (int i = 0; i < groups.size(); i++) {
      GroupSpec spec = groups.get(i);
      runs.put(
          spec.name(),
          new GroupRun(
              spec,
              realities,
              events,
              new SplittableRandom(seed * 1_000_003L + i),
              trace.horizonSeconds()));
    }
    List<AgentGroup> routing = groups.stream().map(GroupSpec::asAgentGroup).toList();
    List<SimJob> jobs = new ArrayList<>();
    ShardPlanner planner = new ShardPlanner(1_000_000);
    for (int index = 0; index < trace.submissions().size(); index++) {
      Submission submission = trace.submissions().get(index);
      ProcessorProfile profile = profile(submission.processor());
      GroupRun group =
          runs.get(
              AgentGroup.cheapestFitting(routing, profile.needs())
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "no agent group fits processor " + profile.name()))
                  .name());
      List<ByteRange> ranges =
          planner.plan(List.of(submission.bytes()), ShardPlanner.DEFAULT_SHARD_BYTES, true);
      SimJob job = new SimJob(submission, ranges.size());
      jobs.add(job);
      SplittableRandom jitter = new SplittableRandom(seed ^ (31L * index + 7));
      events.at(
          submission.atSeconds(),
          () -> {
            for (ByteRange range : ranges) {
              double seconds =
                  profile.serviceSeconds(range.end() - range.start())
                      * jitter.nextDouble(0.85, 1.15);
              group.enqueue(new SimShard(job, seconds), events.now());
            }
          });
    }
    List<Result.Sample> samples = new ArrayList<>();
    scheduleLooks(events, runs.values());
    scheduleSamples(events, runs.values(), samples);
    while (events.step()) {
      double now = events.now();
      if (now > GIVE_UP_AFTER_SECONDS
          || (now >= trace.horizonSeconds() && jobs.stream().allMatch(SimJob::isDone))) {
        break;
      }
    }
    return result(events.now(), runs.values(), jobs, samples);
  }

  private static ProcessorProfile profile(String processor) {
    return ProcessorProfile.named(processor)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown processor "
                        + processor
                        + "; the simulator knows "
                        + ProcessorProfile.KNOWN.stream()
                            .map(ProcessorProfile::name)
                            .collect(Collectors.joining(", "))));
  }

  private static void scheduleLooks(EventQueue events, Iterable<GroupRun> runs) {
    Runnable[] look = new Runnable[1];
    look[0] =
        () -> {
          for (GroupRun run : runs) {
            run.look(events.now());
          }
          events.at(events.now() + LOOK_SECONDS, look[0]);
        };
    events.at(0, look[0]);
  }

  private static void scheduleSamples(
      EventQueue events, Iterable<GroupRun> runs, List<Result.Sample> samples) {
    Runnable[] sample = new Runnable[1];
    sample[0] =
        () -> {
          double now = events.now();
          long backlog = 0;
          int agents = 0;
          double spend = 0;
          for (GroupRun run : runs) {
            backlog += run.queued();
            agents += run.agentsAlive();
            spend += Arrays.stream(run.spend(now)).sum();
          }
          samples.add(new Result.Sample(now, backlog, agents, spend));
          events.at(now + SAMPLE_SECONDS, sample[0]);
        };
    events.at(0, sample[0]);
  }

  private Result result(
      double end, Iterable<GroupRun> runs, List<SimJob> jobs, List<Result.Sample> samples) {
    double spot = 0;
    double onDemand = 0;
    double billed = 0;
    FleetCounters total = new FleetCounters();
    List<String> fleet = new ArrayList<>();
    for (GroupRun run : runs) {
      double[] spend = run.spend(end);
      spot += spend[0];
      onDemand += spend[1];
      billed += run.billedSeconds(end);
      FleetCounters counters = run.counters();
      total.scaleEvents += counters.scaleEvents;
      total.launches += counters.launches;
      total.refusedLaunches += counters.refusedLaunches;
      total.interruptions += counters.interruptions;
      total.shardsRerun += counters.shardsRerun;
      total.busySeconds += counters.busySeconds;
      fleet.add(
          (groups.size() > 1 ? run.spec.name() + ": " : "")
              + run.policy().describe()
              + ", "
              + run.spec.instanceType().name()
              + ", "
              + Math.round(run.spec.spotShare() * 100)
              + " % spot");
    }
    double[] firstWaits = jobs.stream().mapToDouble(SimJob::waitToFirstShard).toArray();
    double[] completions =
        jobs.stream()
            .mapToDouble(job -> job.isDone() ? job.timeToCompletion() : Double.POSITIVE_INFINITY)
            .toArray();
    return new Result(
        trace.name(),
        String.join("; ", fleet),
        spot + onDemand,
        spot,
        onDemand,
        Percentiles.of(firstWaits, 50),
        Percentiles.of(firstWaits, 95),
        Percentiles.of(completions, 50),
        Percentiles.of(completions, 95),
        billed == 0 ? 0 : total.busySeconds / billed,
        total.scaleEvents,
        total.launches,
        total.refusedLaunches,
        total.interruptions,
        total.shardsRerun,
        (int) jobs.stream().filter(SimJob::isDone).count(),
        jobs.size(),
        List.copyOf(samples));
  }
}
