package dev.kiln.cli.release;

import dev.kiln.model.release.ReleaseRecord;
import dev.kiln.protocol.release.ReleaseLog;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code kiln release history}: the newest release records. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "List recent releases.")
final class HistoryCommand implements Callable<Integer> {

  @ParentCommand ReleaseCommand release;

  @Option(names = "--limit", defaultValue = "20", description = "How many (default: 20).")
  int limit;

  @Override
  public Integer call() {
    try (AwsClients clients = release.clients()) {
      for (ReleaseRecord record : new ReleaseLog(clients.s3(), release.opsBucket()).newest(limit)) {
        release
            .out()
            .printf(
                "%s  %-8s %-4s %-10s %-13s %s -> %s  %s  by %s: %s%n",
                record.at(),
                record.action(),
                record.role(),
                record.outcome(),
                record.ami(),
                record.fromColor(),
                record.toColor(),
                record.id(),
                record.actor(),
                record.reason());
      }
      release.out().flush();
      return 0;
    }
  }
}
