package dev.kiln.cli.release;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code kiln release unlock}: removes a release lock left by a release that was killed. */
@Command(
    name = "unlock",
    mixinStandardHelpOptions = true,
    description =
        "Remove the estate's release lock after a release process was killed (kill -9, a lost"
            + " machine). Check kiln release status first: the killed release may have left both"
            + " colors up.")
final class UnlockCommand implements Callable<Integer> {

  @ParentCommand ReleaseCommand release;

  @Override
  public Integer call() {
    try (AwsClients clients = release.clients()) {
      String holder = ReleaseLock.holder(clients.s3(), release.opsBucket());
      ReleaseLock.breakLock(clients.s3(), release.opsBucket());
      release.out().println("unlocked (was: " + holder + ")");
      release.out().flush();
      return 0;
    }
  }
}
