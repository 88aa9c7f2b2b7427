package dev.kiln.protocol;

import java.util.UUID;

/**
 * Every Redis key, key prefix and topic that Kiln's processes share, defined once. The table in
 * docs/architecture.md names each with its writer and its readers; a build rule keeps {@code
 * "kiln:} literals out of every other class. Stateless.
 */
public final class RedisKeys {
  private RedisKeys() {}

  /**
   * Prefix of every work-queue key (shards, ready sets, leases, the events stream, the epoch); the
   * Lua scripts under {@code dev/kiln/protocol/queue} derive the rest from it.
   */
  public static final String QUEUE_PREFIX = "kiln:q:";

  /**
   * Hash {@code kiln:agents:{agentId}}: an agent's status, written on each heartbeat, with a TTL.
   */
  public static final String AGENT_PREFIX = "kiln:agents:";

  /** String: the autoscaler's latest decision as JSON, written by the scheduler leader. */
  public static final String FLEET_DECISION = "kiln:autoscaler:decision";

  /**
   * List: the autoscaler's recent decisions as JSON, newest first, each one that changed the
   * desired count or the reason; capped at {@code FleetHistoryStore.DECISIONS_KEPT}.
   */
  public static final String FLEET_DECISIONS = "kiln:autoscaler:decisions";

  /**
   * List: one point per minute of agents, backlog and month spend as JSON, newest first, capped at
   * {@code FleetHistoryStore.POINTS_KEPT}; written by the autoscaler, read by the console.
   */
  public static final String FLEET_SERIES = "kiln:autoscaler:series";

  /**
   * String {@code kiln:drain:{agentId}}: an operator asked the agent to drain (the value says who
   * and why); the agent reads it before each lease. Expires on its own after a week.
   */
  public static final String AGENT_DRAIN_PREFIX = "kiln:drain:";

  /** String: the latest decision of a further agent group's autoscaler, by the group's name. */
  public static String groupDecision(String group) {
    return FLEET_DECISION + ":" + group;
  }

  /** Bucket holding the scheduler leader's id and fencing epoch. */
  public static final String SCHEDULER_LEADER = "kiln:scheduler:leader";

  /** Topic: a job id the API just accepted, so the planner claims it without waiting a tick. */
  public static final String JOBS_SUBMITTED = "kiln:jobs:submitted";

  /** Topic: a job id whose cached read every API process must drop. */
  public static final String JOBS_CHANGED = "kiln:jobs:changed";

  /**
   * Topic: a job id whose state, progress or events the scheduler just committed, so every API
   * process pushes the news to the job's open event streams without polling PostgreSQL.
   */
  public static final String JOB_NEWS = "kiln:jobs:news";

  /**
   * Hash {@code kiln:jobs:running:{jobId}}: shard index to "records fraction" of the job's running
   * shards, as their agents report them ({@code RunningShards}).
   */
  public static String runningShards(UUID jobId) {
    return "kiln:jobs:running:" + jobId;
  }

  /** Topic: an account id whose state (disabled, deleted, password) changed. */
  public static final String ACCOUNTS_CHANGED = "kiln:accounts:changed";

  /** Counter {@code kiln:login:fail:{address-or-email}}: failed logins, with a TTL. */
  public static final String LOGIN_FAILURES_PREFIX = "kiln:login:fail:";

  /** Counter {@code kiln:signup:{address}}: sign-ups from one client address in the window. */
  public static final String SIGNUPS_PREFIX = "kiln:signup:";

  /**
   * Sorted set {@code kiln:streams:{accountId}}: the account's open event streams, by lapse time.
   */
  public static final String EVENT_STREAMS_PREFIX = "kiln:streams:";

  /** The key health checks look up (never written) to prove Redis answers. */
  public static final String HEALTH_PROBE = "kiln:health";

  /** The drain mark of {@code agentId}. */
  public static String agentDrain(String agentId) {
    return AGENT_DRAIN_PREFIX + agentId;
  }

  /** The agent status hash of {@code agentId}. */
  public static String agent(String agentId) {
    return AGENT_PREFIX + agentId;
  }
}
