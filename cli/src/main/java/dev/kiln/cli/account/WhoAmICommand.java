package dev.kiln.cli.account;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.client.api.WhoAmIView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code kiln whoami}: whom the credential stands for, and where. */
@Command(
    name = "whoami",
    mixinStandardHelpOptions = true,
    description = "Show the account the credential stands for.")
public final class WhoAmICommand implements Callable<Integer> {
  private final CliContext context;

  WhoAmICommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    WhoAmIView me = context.client().whoami();
    context
        .output()
        .print(
            me,
            () ->
                context
                    .output()
                    .line(
                        me.email()
                            + " ("
                            + me.role().toLowerCase(java.util.Locale.ROOT)
                            + ", by "
                            + me.via()
                            + ") at "
                            + context.url()
                            + ", profile "
                            + context.profileName()));
    return ExitCodes.OK;
  }
}
