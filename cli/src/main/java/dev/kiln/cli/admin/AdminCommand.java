package dev.kiln.cli.admin;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.client.KilnAdminClient;
import dev.kiln.client.api.JobView;
import dev.kiln.client.api.Page;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kiln admin}: the operator API: users, dead letters, agents, queues, the fleet, and every
 * account's jobs. Needs an admin's credential.
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = "Operator commands: users, dead letters, agents, queues, the fleet, jobs.",
    subcommands = {
      UsersCommand.class,
      DeadLettersCommand.class,
      AgentsCommand.class,
      QueuesCommand.class,
      FleetCommand.class
    })
public final class AdminCommand {
  private final CliContext context;

  AdminCommand(CliContext context) {
    this.context = context;
  }

  private KilnAdminClient admin() {
    return context.client().admin();
  }

  @Command(name = "jobs", mixinStandardHelpOptions = true, description = "Every account's jobs.")
  int jobs(
      @Option(names = "--owner", paramLabel = "USER", description = "An account id or e-mail.")
          String owner,
      @Option(names = "--state", paramLabel = "STATE") String state,
      @Option(
              names = "--search",
              paramLabel = "Q",
              description = "Part of the job id, the processor or the owner's e-mail.")
          String search,
      @Option(names = "--limit", defaultValue = "50", paramLabel = "N") int limit) {
    List<JobView> jobs = new ArrayList<>();
    String cursor = null;
    do {
      Page<JobView> page =
          admin().jobs(owner, state, search, cursor, Math.min(200, limit - jobs.size()));
      jobs.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null && jobs.size() < limit);
    context
        .output()
        .print(
            jobs,
            () ->
                context
                    .output()
                    .table(
                        List.of("ID", "STATE", "PROCESSOR", "PROGRESS", "CREATED"),
                        jobs.stream()
                            .map(
                                job ->
                                    Arrays.asList(
                                        job.id().toString(),
                                        context.output().style().state(job.state().name()),
                                        job.processor(),
                                        job.progress().shardsDone()
                                            + "/"
                                            + job.progress().shardsTotal(),
                                        job.timings() == null
                                            ? null
                                            : String.valueOf(job.timings().createdAt())))
                            .toList()));
    return ExitCodes.OK;
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel any account's unfinished job.")
  int cancel(@Parameters(paramLabel = "JOB") UUID id) {
    JobView job = admin().cancelJob(id);
    context.output().print(job, () -> context.output().line("Job " + id + " is " + job.state()));
    return ExitCodes.OK;
  }
}
