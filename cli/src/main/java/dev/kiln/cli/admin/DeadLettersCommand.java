package dev.kiln.cli.admin;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.CliException;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.client.KilnAdminClient;
import dev.kiln.client.api.DeadLetterView;
import dev.kiln.client.api.Page;
import dev.kiln.client.api.RequeueView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln admin dead-letters ls | requeue | discard}: shards whose attempts are spent. */
@Command(
    name = "dead-letters",
    mixinStandardHelpOptions = true,
    description = "Dead-lettered shards: list, requeue (one or all), discard.")
final class DeadLettersCommand {
  private final CliContext context;

  DeadLettersCommand(CliContext context) {
    this.context = context;
  }

  private KilnAdminClient admin() {
    return context.client().admin();
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List dead letters.")
  int list(
      @Option(names = "--processor", paramLabel = "P", description = "Only this processor's.")
          String processor,
      @Option(names = "--job", paramLabel = "JOB", description = "Only this job's.") UUID job,
      @Option(names = "--limit", defaultValue = "200", paramLabel = "N") int limit) {
    List<DeadLetterView> dead = new ArrayList<>();
    String cursor = null;
    do {
      Page<DeadLetterView> page =
          admin().deadLetters(processor, job, cursor, Math.min(200, limit - dead.size()));
      dead.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null && dead.size() < limit);
    context
        .output()
        .print(
            dead,
            () ->
                context
                    .output()
                    .table(
                        List.of(
                            "JOB", "SHARD", "PROCESSOR", "OWNER", "ATTEMPTS", "DEAD AT", "REASON"),
                        dead.stream()
                            .map(
                                letter ->
                                    Arrays.asList(
                                        letter.jobId().toString(),
                                        String.valueOf(letter.shardIndex()),
                                        letter.processor(),
                                        letter.ownerEmail(),
                                        letter.attempts() == null
                                            ? null
                                            : String.valueOf(letter.attempts()),
                                        String.valueOf(letter.deadAt()),
                                        letter.reason()))
                            .toList()));
    return ExitCodes.OK;
  }

  @Command(
      name = "requeue",
      mixinStandardHelpOptions = true,
      description = {
        "Requeue a dead letter (JOB SHARD), or every one (--all, optionally of --processor P).",
        "Its failed job runs every shard it did not finish again, with a fresh attempt budget."
      })
  int requeue(
      @Parameters(index = "0", arity = "0..1", paramLabel = "JOB") UUID job,
      @Parameters(index = "1", arity = "0..1", paramLabel = "SHARD") Integer shard,
      @Option(names = "--all", description = "Every dead letter (one bounded batch).") boolean all,
      @Option(names = "--processor", paramLabel = "P", description = "With --all: only these.")
          String processor) {
    RequeueView done;
    if (all) {
      if (job != null) {
        throw new CliException(ExitCodes.USAGE, "give either JOB SHARD or --all, not both");
      }
      done = admin().requeueAll(processor, null);
    } else {
      if (job == null || shard == null) {
        throw new CliException(ExitCodes.USAGE, "give JOB SHARD, or --all");
      }
      if (processor != null) {
        throw new CliException(ExitCodes.USAGE, "--processor goes with --all");
      }
      done = admin().requeue(job, shard);
    }
    RequeueView result = done;
    context
        .output()
        .print(
            result,
            () ->
                context
                    .output()
                    .line(
                        "Requeued "
                            + result.shards()
                            + " shard(s) of "
                            + result.jobs()
                            + " job(s)"
                            + (result.unpaid().isEmpty()
                                ? ""
                                : "; "
                                    + result.unpaid().size()
                                    + " job(s) left failed: their owners lack the credits; grant"
                                    + " them credits in the console's users view")
                            + (result.more() ? "; more are left, run it again" : "")));
    return ExitCodes.OK;
  }

  @Command(
      name = "discard",
      mixinStandardHelpOptions = true,
      description = "Discard a dead letter: the shard is failed for good, its job stays FAILED.")
  int discard(
      @Parameters(index = "0", paramLabel = "JOB") UUID job,
      @Parameters(index = "1", paramLabel = "SHARD") int shard) {
    admin().discard(job, shard);
    context
        .output()
        .print(
            Map.of("jobId", job, "shardIndex", shard, "discarded", true),
            () -> context.output().line("Discarded shard " + shard + " of job " + job));
    return ExitCodes.OK;
  }
}
