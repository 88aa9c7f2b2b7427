package dev.kiln.cli;

import dev.kiln.cli.account.KeysCommand;
import dev.kiln.cli.account.LoginCommand;
import dev.kiln.cli.account.LogoutCommand;
import dev.kiln.cli.account.WhoAmICommand;
import dev.kiln.cli.admin.AdminCommand;
import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.cli.common.Failures;
import dev.kiln.cli.common.GlobalOptions;
import dev.kiln.cli.files.FilesCommand;
import dev.kiln.cli.files.UploadCommand;
import dev.kiln.cli.jobs.DownloadCommand;
import dev.kiln.cli.jobs.ErrorsCommand;
import dev.kiln.cli.jobs.JobsCommand;
import dev.kiln.cli.jobs.RunCommand;
import dev.kiln.cli.jobs.WatchCommand;
import dev.kiln.cli.release.ReleaseCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code kiln} command. Its subcommands are listed in the annotation, in the order {@code kiln
 * --help} shows them; each is built with the run's {@link CliContext} when it has a constructor
 * that takes one.
 */
@Command(
    name = "kiln",
    mixinStandardHelpOptions = true,
    versionProvider = KilnCli.Version.class,
    description = "Kiln: file-processing ML jobs on EC2.",
    subcommands = {
      LoginCommand.class,
      LogoutCommand.class,
      WhoAmICommand.class,
      UploadCommand.class,
      FilesCommand.class,
      RunCommand.class,
      JobsCommand.class,
      WatchCommand.class,
      DownloadCommand.class,
      ErrorsCommand.class,
      KeysCommand.class,
      AdminCommand.class,
      ReleaseCommand.class,
      CompletionCommand.class
    })
public final class KilnCli implements Runnable {

  @Mixin private GlobalOptions options;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  KilnCli(CliContext context) {
    this.options = context.options();
  }

  /** The command line of this process: its environment and standard streams. */
  public static CommandLine commandLine() {
    return commandLine(CliContext.system());
  }

  /** The command line over {@code context}: one per run, as its options are kept in it. */
  public static CommandLine commandLine(CliContext context) {
    CommandLine commandLine = new CommandLine(new KilnCli(context), new ContextFactory(context));
    commandLine.setOut(context.out());
    commandLine.setErr(context.err());
    commandLine.setExecutionExceptionHandler(
        (thrown, failed, parsed) -> {
          Failures.Verdict verdict = Failures.of(thrown);
          PrintWriter err = failed.getErr();
          if (context.options().debug()) {
            thrown.printStackTrace(err);
          }
          err.println("kiln: " + verdict.message());
          err.flush();
          return verdict.exitCode();
        });
    commandLine.setParameterExceptionHandler(
        (invalid, args) -> {
          PrintWriter err = invalid.getCommandLine().getErr();
          err.println("kiln: " + invalid.getMessage());
          err.println(
              "see: " + invalid.getCommandLine().getCommandSpec().qualifiedName() + " --help");
          err.flush();
          return ExitCodes.USAGE;
        });
    return commandLine;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** Builds commands with the run's context. */
  private static final class ContextFactory implements CommandLine.IFactory {
    private final CliContext context;

    ContextFactory(CliContext context) {
      this.context = context;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
      Constructor<K> constructor;
      try {
        constructor = type.getDeclaredConstructor(CliContext.class);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(type);
      }
      constructor.setAccessible(true);
      return constructor.newInstance(context);
    }
  }

  /** The build's version, from {@code version.properties} (filtered by Maven). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = KilnCli.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      }
      return new String[] {"kiln " + properties.getProperty("version", "(unknown version)")};
    }
  }
}
