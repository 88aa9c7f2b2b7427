package dev.kiln.cli.release;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code kiln release prune}: deregisters old AMIs and deletes their snapshots. */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description =
        "Deregister old AMIs of a role and delete their snapshots; keeps the newest --keep and"
            + " every image a version of any launch template in the region names.")
final class PruneCommand implements Callable<Integer> {

  @ParentCommand ReleaseCommand release;

  @Option(names = "--role", required = true, description = "web, gpu or cpu")
  Role role;

  @Option(names = "--keep", defaultValue = "3", description = "Newest images kept (default: 3).")
  int keep;

  @Option(names = "--dry-run", description = "Say what would be removed; remove nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    try (AwsClients clients = release.clients()) {
      AmiPruner.Pruned pruned =
          new AmiPruner(clients.ec2(), release::progress).prune(role.name(), keep, dryRun);
      release
          .out()
          .println(
              (dryRun ? "would remove " : "removed ")
                  + pruned.images().size()
                  + " images and "
                  + pruned.snapshots().size()
                  + " snapshots; kept "
                  + pruned.kept().size());
      release.out().flush();
      return 0;
    }
  }
}
