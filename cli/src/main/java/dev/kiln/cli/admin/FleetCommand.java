package dev.kiln.cli.admin;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.client.api.FleetView;
import dev.kiln.model.fleet.AgentStatus;
import dev.kiln.model.fleet.FleetDecision;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code kiln admin fleet}: the autoscaler's decision, the queue it saw, and the live agents. */
@Command(
    name = "fleet",
    mixinStandardHelpOptions = true,
    description = "The fleet: desired and current agents, queued and leased shards, each agent.")
final class FleetCommand implements Callable<Integer> {
  private final CliContext context;

  FleetCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    FleetView fleet = context.client().admin().fleet();
    context.output().print(fleet, () -> print(fleet));
    return ExitCodes.OK;
  }

  private void print(FleetView fleet) {
    FleetDecision decision = fleet.decision();
    if (decision == null) {
      context.output().line("No autoscaler decision yet (no scheduler with a fleet has run).");
    } else {
      context
          .output()
          .line(
              String.format(
                  Locale.ROOT,
                  "%s: %d agents wanted, %d running (decided %ds ago): %s%n"
                      + "queue: %d shards queued, %d leased, %.1fs per shard recently",
                  decision.fleet(),
                  decision.desired(),
                  decision.current(),
                  fleet.decisionAgeSeconds() == null ? 0 : fleet.decisionAgeSeconds(),
                  decision.reason(),
                  decision.queued(),
                  decision.leased(),
                  decision.shardSeconds()));
    }
    if (fleet.budgetCapped()) {
      context.output().line(context.output().style().yellow(fleet.budgetNotice()));
    }
    List<AgentStatus> agents = fleet.agents();
    context
        .output()
        .table(
            List.of(
                "AGENT",
                "STATE",
                "LEASES",
                "SHARDS DONE",
                "SHARDS FAILED",
                "AMI",
                "LAST HEARTBEAT"),
            agents.stream()
                .map(
                    agent ->
                        Arrays.asList(
                            agent.agentId(),
                            String.valueOf(agent.state()),
                            String.valueOf(agent.leases()),
                            String.valueOf(agent.shardsDone()),
                            String.valueOf(agent.shardsFailed()),
                            agent.ami(),
                            String.valueOf(agent.lastHeartbeat())))
                .toList());
  }
}
