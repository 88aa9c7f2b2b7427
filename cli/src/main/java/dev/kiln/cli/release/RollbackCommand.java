package dev.kiln.cli.release;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code kiln release rollback}: make the other web color live again. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description =
        "Flip the web tier back to the other color, scaling it up first if it was scaled to zero.")
final class RollbackCommand implements Callable<Integer> {

  @ParentCommand ReleaseCommand release;

  @Option(
      names = "--health-timeout",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description = "How long the old color has to become healthy (default: ${DEFAULT-VALUE}).")
  Duration healthTimeout;

  @Override
  public Integer call() throws Exception {
    try (AwsClients clients = release.clients()) {
      Estate estate = release.estate();
      return release.guarded(
          clients,
          "rollback",
          "web",
          null,
          progress ->
              new BlueGreen(
                      estate,
                      new Groups(clients.autoScaling()),
                      new LaunchTemplates(clients.ec2()),
                      new TrafficSwitch(clients.elb(), estate),
                      new ElbTargetHealthProbe(clients.elb()),
                      release.waiter(),
                      healthTimeout,
                      progress)
                  .rollback());
    }
  }
}
