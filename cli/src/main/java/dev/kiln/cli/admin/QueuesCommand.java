package dev.kiln.cli.admin;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.client.api.OwnerShareView;
import dev.kiln.client.api.QueueView;
import dev.kiln.client.api.QueuesView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code kiln admin queues}: each processor's queue, every owner's share, and the caps. */
@Command(
    name = "queues",
    mixinStandardHelpOptions = true,
    description = "Each processor's queued, leased and dead shards, per owner, and its cap.")
final class QueuesCommand implements Callable<Integer> {
  private final CliContext context;

  QueuesCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    QueuesView queues = context.client().admin().queues();
    context.output().print(queues.items(), () -> print(queues));
    return ExitCodes.OK;
  }

  private void print(QueuesView queues) {
    List<List<String>> rows = new ArrayList<>();
    for (QueueView queue : queues.items()) {
      rows.add(
          Arrays.asList(
              queue.processor(),
              "(all)",
              String.valueOf(queue.queued()),
              String.valueOf(queue.leased()),
              String.valueOf(queue.dead()),
              queue.cap() == null ? "none" : String.valueOf(queue.cap())));
      for (OwnerShareView owner : queue.owners()) {
        rows.add(
            Arrays.asList(
                "",
                owner.email() == null ? owner.ownerId().toString() : owner.email(),
                String.valueOf(owner.queued()),
                String.valueOf(owner.leased()),
                "",
                ""));
      }
    }
    if (rows.isEmpty()) {
      context.output().line("No processor has queued, leased or dead shards.");
      return;
    }
    context
        .output()
        .table(List.of("PROCESSOR", "OWNER", "WAITING", "LEASED", "DEAD LETTERS", "CAP"), rows);
  }
}
