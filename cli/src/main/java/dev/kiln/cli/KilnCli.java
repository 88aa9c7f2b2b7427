package dev.kiln.cli;

import dev.kiln.cli.release.ReleaseCommand;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kiln} command. Each entry of {@link #SUBCOMMANDS} is one top-level subcommand. */
@Command(
    name = "kiln",
    mixinStandardHelpOptions = true,
    description = "Kiln: file-processing ML jobs on EC2.")
public final class KilnCli implements Runnable {

  /** Top-level subcommands, in the order {@code kiln --help} lists them. */
  public static final List<Supplier<Object>> SUBCOMMANDS = List.of(ReleaseCommand::new);

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new KilnCli());
    for (Supplier<Object> subcommand : SUBCOMMANDS) {
      commandLine.addSubcommand(subcommand.get());
    }
    return commandLine;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }
}
