package dev.kiln.cli.account;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.CliException;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.cli.common.Profile;
import dev.kiln.client.KilnApiException;
import dev.kiln.client.KilnClient;
import dev.kiln.client.api.ApiKeyView;
import dev.kiln.client.api.WhoAmIView;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kiln login}: with an e-mail and password it logs in and creates an API key for this
 * machine (access tokens last minutes; a command line needs a credential that lasts), with {@code
 * --api-key} it checks and keeps the key given. Either is saved in the profile.
 */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = "Log in and save the credential in the profile.")
public final class LoginCommand implements Callable<Integer> {

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "The API's URL (default: $KILN_URL, the profile's, else " + CliContext.DEFAULT_URL + ").")
  URI url;

  @Option(names = "--email", paramLabel = "EMAIL", description = "Your e-mail (asked when absent).")
  String email;

  @Option(
      names = "--password-stdin",
      description = "Read the password from the first line of standard input.")
  boolean passwordStdin;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description = "Use this API key (kiln_...) instead of an e-mail and password.")
  String apiKey;

  private final CliContext context;

  LoginCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws IOException {
    URI target = url != null ? url : context.url();
    String profileName = context.profileName();
    Profile previous = context.profiles().get(profileName);
    Profile saved;
    if (apiKey != null) {
      KilnClient client = new KilnClient(target, apiKey.strip());
      WhoAmIView me = client.whoami();
      saved = new Profile(target.toString(), me.email(), apiKey.strip(), null);
    } else {
      String who = email != null ? email : ask("E-mail: ");
      String password = password();
      KilnClient client = new KilnClient(target);
      client.login(who, password);
      ApiKeyView key = client.createApiKey(keyName(profileName));
      saved = new Profile(target.toString(), who.strip(), key.key(), key.id());
    }
    context.profiles().put(profileName, saved);
    revokeReplaced(previous, saved);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("profile", profileName);
    result.put("url", saved.url());
    result.put("email", saved.email());
    context
        .output()
        .print(
            result,
            () ->
                context
                    .output()
                    .line(
                        "Logged in to "
                            + saved.url()
                            + " as "
                            + saved.email()
                            + " (profile "
                            + profileName
                            + ", saved in "
                            + context.profiles().file()
                            + ")"));
    return ExitCodes.OK;
  }

  /** A key the previous login of this profile made is revoked, so keys do not pile up. */
  private void revokeReplaced(Profile previous, Profile saved) {
    if (previous == null
        || previous.apiKeyId() == null
        || previous.apiKey().equals(saved.apiKey())) {
      return;
    }
    try {
      new KilnClient(URI.create(previous.url()), previous.apiKey())
          .revokeApiKey(previous.apiKeyId());
    } catch (KilnApiException | java.io.UncheckedIOException e) {
      // The old key was already revoked, or belongs to a server no longer there.
    }
  }

  private static String keyName(String profile) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "this machine";
    }
    String name = "kiln cli on " + host + " (" + profile + ")";
    return name.length() > 100 ? name.substring(0, 100) : name;
  }

  private String password() throws IOException {
    if (passwordStdin) {
      String line =
          new BufferedReader(new InputStreamReader(context.in(), StandardCharsets.UTF_8))
              .readLine();
      if (line == null || line.isEmpty()) {
        throw new CliException(ExitCodes.USAGE, "--password-stdin: standard input had no password");
      }
      return line;
    }
    Console console = System.console();
    if (console == null) {
      throw new CliException(
          ExitCodes.USAGE,
          "no terminal to ask the password on: pass --password-stdin (or --api-key)");
    }
    char[] typed = console.readPassword("Password: ");
    if (typed == null) {
      throw new CliException(ExitCodes.USAGE, "no password given");
    }
    return new String(typed);
  }

  private String ask(String prompt) {
    Console console = System.console();
    if (console == null) {
      throw new CliException(ExitCodes.USAGE, "no terminal to ask on: pass --email");
    }
    String answer = console.readLine(prompt);
    if (answer == null || answer.isBlank()) {
      throw new CliException(ExitCodes.USAGE, "no e-mail given");
    }
    return answer.strip();
  }
}
