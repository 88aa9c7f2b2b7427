package dev.kiln.api.service;

import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.db.AdminQueryDao;
import dev.kiln.api.db.DeadLetterDao;
import dev.kiln.api.errors.ApiException;
import dev.kiln.client.api.AgentView;
import dev.kiln.client.api.AgentsView;
import dev.kiln.client.api.FleetView;
import dev.kiln.client.api.OverviewView;
import dev.kiln.client.api.OwnerShareView;
import dev.kiln.client.api.QueueView;
import dev.kiln.client.api.QueuesView;
import dev.kiln.db.spend.BudgetCheck;
import dev.kiln.db.spend.SpendDao;
import dev.kiln.model.Pricing;
import dev.kiln.model.fleet.AgentState;
import dev.kiln.model.fleet.AgentStatus;
import dev.kiln.model.fleet.FleetDecision;
import dev.kiln.protocol.fleet.AgentDrainMarks;
import dev.kiln.protocol.fleet.AgentStatusStore;
import dev.kiln.protocol.fleet.FleetHistoryStore;
import dev.kiln.protocol.queue.ProcessorLoad;
import dev.kiln.protocol.queue.QueueLoads;
import dev.kiln.protocol.queue.QueueSettings;
import dev.kiln.protocol.queue.QueueStats;
import dev.kiln.protocol.queue.RedisWorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;

/**
 * The operator console's live views over Redis and PostgreSQL: the overview, the queues per
 * processor and owner, the agents, and the agent drain. Each call is written to the audit log.
 * Thread-safe.
 */
public final class OperationsService {
  /** The window throughput is averaged over. */
  static final Duration THROUGHPUT_WINDOW = Duration.ofMinutes(10);

  private final Jdbi jdbi;
  private final FleetService fleet;
  private final RedisWorkQueue queue;
  private final QueueLoads loads;
  private final AgentStatusStore agents;
  private final AgentDrainMarks drainMarks;
  private final FleetHistoryStore history;
  private final AuditTrail audit;
  private final Pricing pricing;
  private final Clock clock;

  public OperationsService(
      Jdbi jdbi,
      RedissonClient redis,
      FleetService fleet,
      AuditTrail audit,
      Pricing pricing,
      Clock clock) {
    this.jdbi = jdbi;
    this.fleet = fleet;
    this.queue = new RedisWorkQueue(redis, clock);
    this.loads = new QueueLoads(redis, QueueSettings.defaults());
    this.agents = new AgentStatusStore(redis);
    this.drainMarks = new AgentDrainMarks(redis);
    this.history = new FleetHistoryStore(redis);
    this.audit = audit;
    this.pricing = pricing;
    this.clock = clock;
  }

  public OverviewView overview(KilnPrincipal admin) {
    audit.record(admin, "overview.view", "fleet", "*", Map.of());
    FleetView current = fleet.fleet();
    List<AgentView> live = agents().items();
    QueueStats stats = queue.stats();
    Instant now = clock.instant();
    DeadLetterDao deadLetters = jdbi.onDemand(DeadLetterDao.class);
    long dead = deadLetters.countByProcessor().values().stream().mapToLong(Long::longValue).sum();
    double perMinute =
        deadLetters.doneSince(now.minus(THROUGHPUT_WINDOW))
            / (double) THROUGHPUT_WINDOW.toMinutes();
    double monthSpend =
        pricing.costUsd(
            jdbi.onDemand(SpendDao.class).agentSeconds(BudgetCheck.monthStart(now), now));
    FleetDecision decision = current.decision();
    return new OverviewView(
        live.size(),
        (int) live.stream().filter(AgentView::draining).count(),
        stats.ready() + stats.delayed(),
        stats.leased(),
        dead,
        perMinute,
        monthSpend,
        decision == null ? null : decision.budget(),
        decision,
        current.decisionAgeSeconds(),
        history.decisions(),
        history.series());
  }

  public QueuesView queues(KilnPrincipal admin) {
    audit.record(admin, "queues.view", "queue", "*", Map.of());
    List<ProcessorLoad> byProcessor = loads.byProcessor();
    Map<String, Long> dead = jdbi.onDemand(DeadLetterDao.class).countByProcessor();
    Set<UUID> owners = new HashSet<>();
    byProcessor.forEach(load -> load.owners().forEach(owner -> owners.add(owner.ownerId())));
    Map<UUID, String> emails =
        owners.isEmpty() ? Map.of() : jdbi.onDemand(AdminQueryDao.class).emails(owners);
    Map<String, QueueView> views = new TreeMap<>();
    for (ProcessorLoad load : byProcessor) {
      views.put(
          load.processor(),
          new QueueView(
              load.processor(),
              load.queued(),
              load.leased(),
              dead.getOrDefault(load.processor(), 0L),
              load.cap(),
              load.owners().stream()
                  .map(
                      owner ->
                          new OwnerShareView(
                              owner.ownerId(),
                              emails.get(owner.ownerId()),
                              owner.queued(),
                              owner.leased()))
                  .toList()));
    }
    dead.forEach(
        (processor, count) ->
            views.putIfAbsent(processor, new QueueView(processor, 0, 0, count, null, List.of())));
    return new QueuesView(List.copyOf(views.values()));
  }

  public AgentsView agents(KilnPrincipal admin) {
    audit.record(admin, "agents.list", "agent", "*", Map.of());
    return agents();
  }

  /**
   * Asks a live agent to drain: it leases nothing more, finishes what it holds and reports
   * DRAINING. Answers the agent as it stands, marked draining.
   */
  public AgentView drain(KilnPrincipal admin, String agentId) {
    AgentStatus status =
        agents.all().stream()
            .filter(agent -> agent.agentId().equals(agentId))
            .findFirst()
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "No live agent "
                            + agentId
                            + "; list them with GET /api/v1/admin/agents (an agent that stopped"
                            + " heartbeating is gone already)."));
    String reason = "operator " + admin.email() + " asked it to drain";
    drainMarks.mark(agentId, reason);
    audit.record(admin, "agent.drain", "agent", agentId, Map.of("reason", reason));
    return view(status, Optional.of(reason));
  }

  private AgentsView agents() {
    return new AgentsView(
        agents.all().stream()
            .map(status -> view(status, drainMarks.reason(status.agentId())))
            .toList());
  }

  private static AgentView view(AgentStatus status, Optional<String> drainMark) {
    boolean draining = status.state() == AgentState.DRAINING || drainMark.isPresent();
    return new AgentView(
        status.agentId(),
        status.instanceId(),
        status.instanceType(),
        status.ami(),
        status.version(),
        status.gpu(),
        status.device(),
        status.processors(),
        status.state() == null ? null : status.state().name(),
        status.leases(),
        status.shardsDone(),
        status.shardsFailed(),
        status.lastHeartbeat(),
        draining,
        status.drainReason() != null ? status.drainReason() : drainMark.orElse(null));
  }
}
