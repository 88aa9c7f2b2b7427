package dev.kiln.cli.admin;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.client.api.AgentView;
import dev.kiln.client.api.AgentsView;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kiln admin agents ls | drain ID}: the live agents. */
@Command(
    name = "agents",
    mixinStandardHelpOptions = true,
    description = "The live agents: list, drain.")
final class AgentsCommand {
  private final CliContext context;

  AgentsCommand(CliContext context) {
    this.context = context;
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the live agents.")
  int list() {
    AgentsView agents = context.client().admin().agents();
    context
        .output()
        .print(
            agents.items(),
            () ->
                context
                    .output()
                    .table(
                        List.of(
                            "AGENT",
                            "STATE",
                            "DRAINING",
                            "LEASES",
                            "TYPE",
                            "DEVICE",
                            "AMI",
                            "VERSION",
                            "LAST HEARTBEAT"),
                        agents.items().stream()
                            .map(
                                agent ->
                                    Arrays.asList(
                                        agent.agentId(),
                                        agent.state(),
                                        agent.draining() ? "yes" : "no",
                                        agent.leases() == null
                                            ? null
                                            : String.valueOf(agent.leases()),
                                        agent.instanceType(),
                                        agent.device(),
                                        agent.ami(),
                                        agent.version(),
                                        String.valueOf(agent.lastHeartbeat())))
                            .toList()));
    return ExitCodes.OK;
  }

  @Command(
      name = "drain",
      mixinStandardHelpOptions = true,
      description = "Drain an agent: it leases nothing more and finishes what it holds.")
  int drain(@Parameters(paramLabel = "ID") String agentId) {
    AgentView agent = context.client().admin().drain(agentId);
    context
        .output()
        .print(
            agent,
            () ->
                context
                    .output()
                    .line(
                        "Agent "
                            + agentId
                            + " drains: it leases nothing more and finishes its "
                            + (agent.leases() == null ? 0 : agent.leases())
                            + " shard(s)"));
    return ExitCodes.OK;
  }
}
