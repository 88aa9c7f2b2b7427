package dev.kiln.cli.release;

import dev.kiln.model.release.Outcome;
import dev.kiln.model.release.ReleaseRecord;
import dev.kiln.protocol.release.ReleaseLog;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * {@code kiln release}: bake AMIs, deploy them blue/green (web) or by draining (GPU), roll back,
 * and show what runs. Options here apply to every subcommand.
 */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description = "Bake AMIs and release them to an estate.",
    subcommands = {
      BakeCommand.class,
      DeployCommand.class,
      RollbackCommand.class,
      StatusCommand.class,
      HistoryCommand.class,
      PruneCommand.class,
      UnlockCommand.class
    })
public final class ReleaseCommand {

  /** Exit code when the step ran but its record could not be written, or could not start. */
  static final int RECORD_FAILED = 4;

  /** Exit code when another release holds the estate's lock. */
  static final int LOCKED = 5;

  /** One release step, reporting progress as it goes. */
  @FunctionalInterface
  interface Step {
    StepResult run(Consumer<String> progress) throws InterruptedException;
  }

  @Option(
      names = "--estate",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:KILN_ESTATE:-kiln-dev}",
      description =
          "Environment whose resources have the names terraform/modules gives them, when no"
              + " --outputs is given (default: ${DEFAULT-VALUE}).")
  String estate;

  @Option(
      names = "--outputs",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:KILN_TERRAFORM_OUTPUTS}",
      description =
          "The environment's `terraform output -json`: the release output names every resource"
              + " a release acts on (wins over --estate).")
  Path outputs;

  @Option(
      names = "--region",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:AWS_REGION:-us-east-1}",
      description = "AWS region (default: ${DEFAULT-VALUE}).")
  String region;

  @Option(
      names = "--endpoint-url",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:KILN_AWS_ENDPOINT}",
      description = "Endpoint override, for an AWS emulator.")
  URI endpoint;

  @Option(
      names = "--ops-bucket",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:KILN_OPS_BUCKET}",
      description =
          "Bucket that keeps release records (default: the release output's, else"
              + " <estate>-ops-<region>).")
  String opsBucket;

  @Option(
      names = "--actor",
      scope = ScopeType.INHERIT,
      defaultValue = "${sys:user.name}",
      description = "Who is releasing, for the record (default: ${DEFAULT-VALUE}).")
  String actor;

  @Option(
      names = "--poll-interval",
      scope = ScopeType.INHERIT,
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How often to poll AWS while waiting (default: ${DEFAULT-VALUE}).")
  Duration pollInterval;

  @Option(
      names = "--no-sdk-retries",
      scope = ScopeType.INHERIT,
      description = "Fail on the first throttled or failed AWS call.")
  boolean noRetries;

  @Spec CommandSpec spec;

  Clock clock = Clock.systemUTC();
  Sleeper sleeper = Sleeper.real();

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Prints progress as it happens. */
  void progress(String line) {
    spec.commandLine().getErr().println(line);
    spec.commandLine().getErr().flush();
  }

  Estate estate() {
    return outputs == null ? new Estate(estate) : Estate.fromTerraformOutputs(outputs);
  }

  AwsClients clients() {
    return AwsClients.create(
        Region.of(region), endpoint, DefaultCredentialsProvider.builder().build(), !noRetries);
  }

  String opsBucket() {
    if (opsBucket != null && !opsBucket.isBlank()) {
      return opsBucket;
    }
    Estate resolved = estate();
    return resolved.opsBucket().orElse(resolved.name() + "-ops-" + region);
  }

  Waiter waiter() {
    return new Waiter(clock, sleeper, pollInterval);
  }

  /** Writes the record of one step, prints it, and returns the exit code for its outcome. */
  int record(AwsClients clients, String action, String role, StepResult result) {
    ReleaseRecord record =
        new ReleaseRecord(
            UUID.randomUUID().toString(),
            clock.instant(),
            actor,
            action,
            role,
            result.ami(),
            result.from() == null ? null : result.from().label(),
            result.to() == null ? null : result.to().label(),
            result.outcome(),
            result.reason());
    out().println(result.outcome() + ": " + result.reason());
    try {
      String key = new ReleaseLog(clients.s3(), opsBucket()).append(record);
      out().println("recorded s3://" + opsBucket() + "/" + key);
      out().flush();
    } catch (RuntimeException e) {
      out().flush();
      progress(
          "could not record this release in s3://"
              + opsBucket()
              + " ("
              + e.getMessage()
              + "); record it by hand: "
              + record);
      return RECORD_FAILED;
    }
    return switch (result.outcome()) {
      case SUCCEEDED, ROLLED_BACK -> 0;
      case ABORTED -> 2;
      case TIMED_OUT -> 3;
      case FAILED -> 1;
    };
  }

  /**
   * Runs one step under the estate's release lock and records it exactly once, also when the
   * process is interrupted (see {@link ReleaseGuard}). A step that could not be recorded does not
   * start.
   */
  int guarded(AwsClients clients, String action, String role, String ami, Step step)
      throws InterruptedException {
    String bucket = opsBucket();
    ReleaseLock lock;
    try {
      lock =
          ReleaseLock.acquire(
              clients.s3(),
              bucket,
              actor + ": " + action + " " + role + (ami == null ? "" : " " + ami),
              clock);
    } catch (IllegalStateException e) {
      progress("release refused: " + e.getMessage());
      return LOCKED;
    } catch (RuntimeException e) {
      progress(
          "release refused: the release lock cannot be written to s3://"
              + bucket
              + " ("
              + e.getMessage()
              + "), so the release could not be recorded either");
      return RECORD_FAILED;
    }
    try (ReleaseGuard guard =
        new ReleaseGuard(lock, result -> record(clients, action, role, result), ami)) {
      try {
        return guard.finish(step.run(guard.progress(this::progress)));
      } catch (RuntimeException e) {
        String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        progress("release step failed: " + reason);
        return guard.finish(new StepResult(Outcome.FAILED, ami, null, null, reason));
      }
    }
  }

  /** Records a step that threw, then reports it. */
  int recordFailure(AwsClients clients, String action, String role, String ami, Exception e) {
    String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
    progress("release step failed: " + reason);
    return record(clients, action, role, new StepResult(Outcome.FAILED, ami, null, null, reason));
  }
}
