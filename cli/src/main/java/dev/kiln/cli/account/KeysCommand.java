package dev.kiln.cli.account;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.client.api.ApiKeyView;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kiln keys create | ls | revoke}: the account's API keys, for programs. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Create, list and revoke API keys.")
public final class KeysCommand {
  private final CliContext context;

  KeysCommand(CliContext context) {
    this.context = context;
  }

  @Command(name = "create", description = "Create a key; it is shown this once.")
  int create(@Parameters(paramLabel = "NAME", description = "What the key is for.") String name) {
    ApiKeyView key = context.client().createApiKey(name);
    context
        .output()
        .print(
            key,
            () -> {
              context.output().line(key.key());
              context.err().println("kiln: key " + key.id() + " created; it is not shown again");
              context.err().flush();
            });
    return ExitCodes.OK;
  }

  @Command(name = "ls", description = "List the keys (never the secrets).")
  int list() {
    List<ApiKeyView> keys = context.client().apiKeys();
    context
        .output()
        .print(
            keys,
            () ->
                context
                    .output()
                    .table(
                        List.of("ID", "NAME", "PREFIX", "CREATED", "LAST USED", "REVOKED"),
                        keys.stream()
                            .map(
                                key ->
                                    java.util.Arrays.asList(
                                        key.id().toString(),
                                        key.name(),
                                        key.prefix(),
                                        String.valueOf(key.createdAt()),
                                        key.lastUsedAt() == null
                                            ? null
                                            : key.lastUsedAt().toString(),
                                        key.revokedAt() == null
                                            ? null
                                            : key.revokedAt().toString()))
                            .toList()));
    return ExitCodes.OK;
  }

  @Command(name = "revoke", description = "Revoke a key; programs using it are refused at once.")
  int revoke(@Parameters(paramLabel = "ID") UUID id) {
    context.client().revokeApiKey(id);
    context
        .output()
        .print(java.util.Map.of("revoked", id), () -> context.output().line("Revoked key " + id));
    return ExitCodes.OK;
  }
}
