package dev.kiln.simulator;

import dev.kiln.model.fleet.ScalingController;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One agent group during a run: its queue (per-owner fair share, as the work queue's stride
 * scheduling), its instances (boot, agent start, spot notices, refused launches, scale-in that
 * spares busy agents when the policy protects them) and its bill. Not thread-safe.
 */
final class GroupRun {
  private static final double SERVICE_WINDOW_SECONDS =
      ScalingController.SERVICE_TIME_WINDOW.toSeconds();

  final GroupSpec spec;
  private final ScalingPolicy policy;
  private final FleetRealities realities;
  private final EventQueue events;
  private final SplittableRandom random;
  private final List<double[]> refusals = new ArrayList<>();
  private final TreeMap<String, ArrayDeque<SimShard>> ready = new TreeMap<>();
  private final Map<String, Double> virtualTime = new HashMap<>();
  private final List<SimAgent> agents = new ArrayList<>();
  private final List<SimAgent> gone = new ArrayList<>();
  private final ArrayDeque<double[]> recentDone = new ArrayDeque<>();
  private final FleetCounters counters = new FleetCounters();
  private int desired;
  private int nextAgentId;
  private long queued;
  private long leased;
  private double spotBlockedUntil = -1;

  GroupRun(
      GroupSpec spec,
      FleetRealities realities,
      EventQueue events,
      SplittableRandom random,
      double horizon) {
    this.spec = spec;
    this.policy = spec.policy().get();
    this.realities = realities;
    this.events = events;
    this.random = random;
    int days = (int) Math.ceil((horizon + 2 * 86_400) / 86_400);
    for (int day = 0; day < days; day++) {
      for (int i = 0; i < realities.refusalsPerDay(); i++) {
        double start = (day + random.nextDouble()) * 86_400;
        refusals.add(new double[] {start, start + realities.refusalSeconds()});
      }
    }
  }

  ScalingPolicy policy() {
    return policy;
  }

  FleetCounters counters() {
    return counters;
  }

  long queued() {
    return queued;
  }

  long leased() {
    return leased;
  }

  int agentsAlive() {
    return agents.size();
  }

  void enqueue(SimShard shard, double now) {
    ArrayDeque<SimShard> queue = ready.computeIfAbsent(shard.owner(), owner -> new ArrayDeque<>());
    if (queue.isEmpty()) {
      double floor = ready.values().stream().anyMatch(q -> !q.isEmpty()) ? minVirtualTime() : 0;
      virtualTime.merge(shard.owner(), floor, Math::max);
    }
    queue.addLast(shard);
    queued++;
    dispatch(now);
  }

  /** One look of the policy, then the group carries its answer out. */
  void look(double now) {
    int answer = policy.desired(new GroupView(now, queued, leased, shardSeconds(now), desired));
    if (answer != desired) {
      counters.scaleEvents++;
      desired = answer;
    }
    reconcile(now);
  }

  /** Launches or terminates instances until the capacity in service matches the desired one. */
  private void reconcile(double now) {
    while (inService() < desired) {
      if (!launch(now)) {
        break;
      }
    }
    while (inService() > desired) {
      SimAgent victim = scaleInVictim();
      if (victim == null) {
        break;
      }
      terminate(victim, now, false);
    }
  }

  private long inService() {
    return agents.stream().filter(agent -> agent.phase != SimAgent.Phase.DRAINING).count();
  }

  private SimAgent scaleInVictim() {
    SimAgent pick = null;
    for (SimAgent agent : agents) {
      if (agent.phase == SimAgent.Phase.DRAINING) {
        continue;
      }
      if (agent.phase == SimAgent.Phase.BOOTING) {
        return agent;
      }
      if (agent.idle()) {
        pick = agent;
      } else if (pick == null && !policy.protectsBusyAgents()) {
        pick = agent;
      }
    }
    return pick;
  }

  private boolean launch(double now) {
    long onDemand = agents.stream().filter(agent -> !agent.spot && agent.alive()).count();
    long wantedOnDemand = (long) Math.ceil((inService() + 1) * (1 - spec.spotShare()) - 1e-9);
    boolean spot = onDemand >= wantedOnDemand;
    if (spot && now < spotBlockedUntil) {
      return false;
    }
    if (spot && refused(now)) {
      counters.refusedLaunches++;
      spotBlockedUntil = now + realities.launchRetrySeconds();
      return false;
    }
    SimAgent agent = new SimAgent(nextAgentId++, spot, now);
    agents.add(agent);
    counters.launches++;
    double start =
        (realities.bootSeconds() + realities.agentStartSeconds()) * random.nextDouble(0.8, 1.2);
    events.at(now + start, () -> ready(agent));
    if (spot && realities.spotInterruptionsPerHour() > 0) {
      double hours = -Math.log(1 - random.nextDouble()) / realities.spotInterruptionsPerHour();
      double interruption = now + hours * 3_600;
      events.at(interruption - realities.rebalanceLeadSeconds(), () -> rebalance(agent));
      events.at(interruption - realities.noticeSeconds(), () -> notice(agent));
      events.at(interruption, () -> interrupted(agent));
    }
    return true;
  }

  private boolean refused(double now) {
    for (double[] window : refusals) {
      if (now >= window[0] && now < window[1]) {
        return true;
      }
    }
    return false;
  }

  private void ready(SimAgent agent) {
    if (agent.phase == SimAgent.Phase.BOOTING) {
      agent.phase = SimAgent.Phase.READY;
      dispatch(events.now());
    }
  }

  private void dispatch(double now) {
    for (SimAgent agent : agents) {
      if (queued == 0) {
        return;
      }
      if (agent.phase == SimAgent.Phase.READY && agent.idle()) {
        start(agent, next(), now);
      }
    }
  }

  private SimShard next() {
    String owner = null;
    for (Map.Entry<String, ArrayDeque<SimShard>> entry : ready.entrySet()) {
      if (!entry.getValue().isEmpty()
          && (owner == null || virtualTime.get(entry.getKey()) < virtualTime.get(owner))) {
        owner = entry.getKey();
      }
    }
    queued--;
    return ready.get(owner).pollFirst();
  }

  private double minVirtualTime() {
    return ready.entrySet().stream()
        .filter(entry -> !entry.getValue().isEmpty())
        .mapToDouble(entry -> virtualTime.get(entry.getKey()))
        .min()
        .orElse(0);
  }

  private void start(SimAgent agent, SimShard shard, double now) {
    agent.running = shard;
    agent.runningSince = now;
    leased++;
    shard.job.shardStarted(now);
    virtualTime.merge(shard.owner(), shard.serviceSeconds, Double::sum);
    int attempt = shard.attempt;
    events.at(now + shard.serviceSeconds, () -> finished(agent, shard, attempt));
  }

  private void finished(SimAgent agent, SimShard shard, int attempt) {
    if (agent.running != shard || shard.attempt != attempt) {
      return;
    }
    double now = events.now();
    agent.running = null;
    leased--;
    counters.busySeconds += shard.serviceSeconds;
    recentDone.addLast(new double[] {now, shard.serviceSeconds});
    shard.job.shardDone(now);
    if (agent.phase == SimAgent.Phase.DRAINING) {
      terminate(agent, now, true);
    } else {
      dispatch(now);
    }
  }

  /** The rebalance recommendation: stop leasing, finish, go; the group launches a replacement. */
  private void rebalance(SimAgent agent) {
    if (agent.phase == SimAgent.Phase.BOOTING || agent.phase == SimAgent.Phase.READY) {
      counters.rebalances++;
      counters.interruptions++;
      agent.reclaimed = true;
      agent.phase = SimAgent.Phase.DRAINING;
      if (agent.idle()) {
        terminate(agent, events.now(), true);
      } else {
        reconcile(events.now());
      }
    }
  }

  /** The two-minute notice: finish what fits, release the rest without spending an attempt. */
  private void notice(SimAgent agent) {
    if (!agent.alive()) {
      return;
    }
    double now = events.now();
    agent.phase = SimAgent.Phase.DRAINING;
    SimShard shard = agent.running;
    if (shard != null
        && agent.runningSince + shard.serviceSeconds > now + realities.noticeSeconds() - 10) {
      release(agent, now);
    }
    if (agent.idle()) {
      terminate(agent, now, true);
    }
  }

  private void interrupted(SimAgent agent) {
    if (agent.alive()) {
      if (!agent.reclaimed) {
        counters.interruptions++;
      }
      terminate(agent, events.now(), true);
    }
  }

  private void release(SimAgent agent, double now) {
    SimShard shard = agent.running;
    agent.running = null;
    leased--;
    shard.attempt++;
    counters.shardsRerun++;
    ready.computeIfAbsent(shard.owner(), owner -> new ArrayDeque<>()).addFirst(shard);
    queued++;
  }

  private void terminate(SimAgent agent, double now, boolean replace) {
    if (agent.running != null) {
      release(agent, now);
    }
    agent.phase = SimAgent.Phase.GONE;
    agent.terminatedAt = now;
    agents.remove(agent);
    gone.add(agent);
    if (replace) {
      reconcile(now);
    }
    dispatch(now);
  }

  private double shardSeconds(double now) {
    while (!recentDone.isEmpty() && recentDone.peekFirst()[0] < now - SERVICE_WINDOW_SECONDS) {
      recentDone.pollFirst();
    }
    if (recentDone.isEmpty()) {
      return ScalingController.DEFAULT_SHARD_SECONDS;
    }
    return recentDone.stream().mapToDouble(done -> done[1]).average().orElseThrow();
  }

  /** USD spent up to {@code now}: spot, then on-demand. */
  double[] spend(double now) {
    double[] spend = new double[2];
    for (List<SimAgent> list : List.of(agents, gone)) {
      for (SimAgent agent : list) {
        double usd =
            agent.billedSeconds(now, realities.minimumBilledSeconds())
                * spec.instanceType().hourly(agent.spot)
                / 3_600;
        spend[agent.spot ? 0 : 1] += usd;
      }
    }
    return spend;
  }

  /** Agent-seconds billed up to {@code now}. */
  double billedSeconds(double now) {
    double seconds = 0;
    for (List<SimAgent> list : List.of(agents, gone)) {
      for (SimAgent agent : list) {
        seconds += agent.billedSeconds(now, realities.minimumBilledSeconds());
      }
    }
    return seconds;
  }
}
