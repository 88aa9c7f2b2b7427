package dev.kiln.cli.jobs;

import dev.kiln.cli.common.CliContext;
import dev.kiln.client.api.JobView;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kiln watch JOB}: live progress until the job ends; the exit code says how it ended. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {"Follow a job until it ends.", "Exit code: 0 SUCCEEDED, 5 FAILED, 6 CANCELLED."})
public final class WatchCommand implements Callable<Integer> {

  @Parameters(paramLabel = "JOB")
  UUID id;

  private final CliContext context;

  WatchCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    return watchAndReport(context, id);
  }

  /** Watches the job, prints its end, and answers the exit code. */
  static int watchAndReport(CliContext context, UUID id) {
    JobView job = new JobWatcher(context, context.client()).watch(id);
    context.output().print(job, () -> JobTable.show(context, job));
    return JobWatcher.exitCodeOf(job);
  }
}
