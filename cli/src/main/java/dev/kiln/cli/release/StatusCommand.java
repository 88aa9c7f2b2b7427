package dev.kiln.cli.release;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code kiln release status}: the live color, each color's AMI and health, the GPU agents. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show what runs where.")
final class StatusCommand implements Callable<Integer> {

  @ParentCommand ReleaseCommand release;

  @Override
  public Integer call() {
    try (AwsClients clients = release.clients()) {
      Estate estate = release.estate();
      ReleaseStatus.Snapshot snapshot =
          new ReleaseStatus(
                  estate,
                  new Groups(clients.autoScaling()),
                  new LaunchTemplates(clients.ec2()),
                  new TrafficSwitch(clients.elb(), estate),
                  new ElbTargetHealthProbe(clients.elb()))
              .snapshot();
      release.out().print(snapshot.render());
      release.out().flush();
      return 0;
    }
  }
}
