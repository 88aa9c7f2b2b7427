package dev.kiln.cli.account;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.cli.common.Failures;
import dev.kiln.cli.common.Profile;
import dev.kiln.client.KilnClient;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kiln logout}: forgets the profile's credential; a key {@code kiln login} created is
 * revoked on the server too (a key given with {@code --api-key} stays valid: revoke it with {@code
 * kiln keys revoke}).
 */
@Command(
    name = "logout",
    mixinStandardHelpOptions = true,
    description = "Forget the profile's credential (and revoke the key kiln login made).")
public final class LogoutCommand implements Callable<Integer> {

  @Option(names = "--everywhere", description = "Also end every web session of the account.")
  boolean everywhere;

  private final CliContext context;

  LogoutCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    String name = context.profileName();
    Profile profile = context.profiles().get(name);
    if (profile == null) {
      context.err().println("kiln: profile '" + name + "' was not logged in");
      return ExitCodes.OK;
    }
    KilnClient client = new KilnClient(URI.create(profile.url()), profile.apiKey());
    try {
      if (everywhere) {
        client.logout();
      }
      if (profile.apiKeyId() != null) {
        client.revokeApiKey(profile.apiKeyId());
      }
    } catch (RuntimeException e) {
      context
          .err()
          .println(
              "kiln: could not revoke the key on the server ("
                  + Failures.of(e).message()
                  + "); forgetting it here anyway");
    }
    context.profiles().remove(name);
    context
        .output()
        .print(
            java.util.Map.of("profile", name, "loggedOut", true),
            () -> context.output().line("Logged out (profile " + name + ")"));
    return ExitCodes.OK;
  }
}
