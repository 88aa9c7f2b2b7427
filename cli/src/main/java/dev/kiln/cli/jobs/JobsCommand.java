package dev.kiln.cli.jobs;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.client.api.JobView;
import dev.kiln.client.api.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln jobs ls | show | cancel | retry | rm}: the account's jobs. */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = "List, show, cancel, retry and delete jobs.")
public final class JobsCommand {
  private final CliContext context;

  JobsCommand(CliContext context) {
    this.context = context;
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List jobs, newest first.")
  int list(
      @Option(names = "--state", paramLabel = "STATE", description = "Only jobs in this state.")
          String state,
      @Option(
              names = "--limit",
              defaultValue = "50",
              paramLabel = "N",
              description = "At most N jobs (default: ${DEFAULT-VALUE}).")
          int limit) {
    List<JobView> jobs = new ArrayList<>();
    String cursor = null;
    do {
      Page<JobView> page = context.client().jobs(state, cursor, Math.min(200, limit - jobs.size()));
      jobs.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null && jobs.size() < limit);
    context.output().print(jobs, () -> JobTable.list(context, jobs));
    return ExitCodes.OK;
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one job.")
  int show(@Parameters(paramLabel = "JOB") UUID id) {
    JobView job = context.client().job(id);
    context.output().print(job, () -> JobTable.show(context, job));
    return ExitCodes.OK;
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a job.")
  int cancel(@Parameters(paramLabel = "JOB") UUID id) {
    JobView job = context.client().cancel(id);
    context.output().print(job, () -> context.output().line("Job " + id + " is " + job.state()));
    return ExitCodes.OK;
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description =
          "Run the failed shards of a FAILED job, or the unfinished part of a CANCELLED one,"
              + " again.")
  int retry(@Parameters(paramLabel = "JOB") UUID id) {
    JobView job = context.client().retry(id);
    context.output().print(job, () -> context.output().line("Job " + id + " is " + job.state()));
    return ExitCodes.OK;
  }

  @Command(
      name = "rm",
      mixinStandardHelpOptions = true,
      description = "Delete finished jobs and their outputs.")
  int remove(@Parameters(paramLabel = "JOB", arity = "1..*") List<UUID> ids) {
    for (UUID id : ids) {
      context.client().deleteJob(id);
    }
    context
        .output()
        .print(
            java.util.Map.of("deleted", ids),
            () -> ids.forEach(id -> context.output().line("Deleted job " + id)));
    return ExitCodes.OK;
  }
}
