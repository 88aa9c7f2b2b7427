package dev.kiln.cli.admin;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.CliException;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.cli.common.Sizes;
import dev.kiln.client.KilnAdminClient;
import dev.kiln.client.api.AccountBudgetView;
import dev.kiln.client.api.AccountQuotaView;
import dev.kiln.client.api.AccountSummaryView;
import dev.kiln.client.api.Page;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kiln admin users ls | disable | enable | budget | quota}: the accounts. USER is an account
 * id or an e-mail.
 */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description = "Accounts: search, disable, enable, monthly budget, storage quota.")
final class UsersCommand {
  private final CliContext context;

  UsersCommand(CliContext context) {
    this.context = context;
  }

  private KilnAdminClient admin() {
    return context.client().admin();
  }

  @Command(
      name = "ls",
      mixinStandardHelpOptions = true,
      description = "List accounts, newest first, with their usage, budget, spend and quota.")
  int list(
      @Option(names = "--search", paramLabel = "Q", description = "Part of the e-mail.")
          String search,
      @Option(names = "--role", paramLabel = "ROLE", description = "USER or ADMIN.") String role,
      @Option(names = "--state", paramLabel = "STATE", description = "active or disabled.")
          String state,
      @Option(names = "--limit", defaultValue = "200", paramLabel = "N") int limit) {
    List<AccountSummaryView> accounts = new ArrayList<>();
    String cursor = null;
    do {
      Page<AccountSummaryView> page =
          admin().accounts(search, role, state, cursor, Math.min(200, limit - accounts.size()));
      accounts.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null && accounts.size() < limit);
    context.output().print(accounts, () -> table(accounts));
    return ExitCodes.OK;
  }

  private void table(List<AccountSummaryView> accounts) {
    context
        .output()
        .table(
            List.of(
                "ID",
                "EMAIL",
                "ROLE",
                "DISABLED",
                "FILES",
                "STORED",
                "QUOTA",
                "JOBS",
                "BUDGET",
                "SPENT"),
            accounts.stream()
                .map(
                    account ->
                        Arrays.asList(
                            account.id().toString(),
                            account.email(),
                            account.role(),
                            account.disabled() ? "yes" : "no",
                            String.valueOf(account.files()),
                            Sizes.bytes(account.bytesUsed()),
                            Sizes.bytes(account.quotaBytes()),
                            String.valueOf(account.jobs()),
                            account.monthlyBudgetUsd() == null
                                ? null
                                : "$" + account.monthlyBudgetUsd().toPlainString(),
                            String.format(Locale.ROOT, "$%.2f", account.monthSpendUsd())))
                .toList());
  }

  @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable an account.")
  int disable(@Parameters(paramLabel = "USER") String user) {
    UUID id = Accounts.idOf(admin(), user);
    admin().disable(id);
    context
        .output()
        .print(
            Map.of("accountId", id, "disabled", true),
            () -> context.output().line("Disabled " + user));
    return ExitCodes.OK;
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable an account.")
  int enable(@Parameters(paramLabel = "USER") String user) {
    UUID id = Accounts.idOf(admin(), user);
    admin().enable(id);
    context
        .output()
        .print(
            Map.of("accountId", id, "disabled", false),
            () -> context.output().line("Enabled " + user));
    return ExitCodes.OK;
  }

  @Command(
      name = "budget",
      mixinStandardHelpOptions = true,
      description = "Set an account's monthly budget in USD ('none' lifts it).")
  int budget(
      @Parameters(index = "0", paramLabel = "USER") String user,
      @Parameters(index = "1", paramLabel = "USD|none") String amount) {
    BigDecimal usd;
    try {
      usd = "none".equalsIgnoreCase(amount) ? null : new BigDecimal(amount);
    } catch (NumberFormatException e) {
      throw new CliException(ExitCodes.USAGE, "'" + amount + "' is not an amount of USD or 'none'");
    }
    AccountBudgetView budget = admin().setBudget(Accounts.idOf(admin(), user), usd);
    context
        .output()
        .print(
            budget,
            () ->
                context
                    .output()
                    .line(
                        user
                            + ": budget "
                            + (budget.monthlyBudgetUsd() == null
                                ? "none"
                                : "$" + budget.monthlyBudgetUsd().toPlainString())
                            + String.format(
                                Locale.ROOT, ", $%.2f spent this month", budget.monthSpendUsd())));
    return ExitCodes.OK;
  }

  @Command(
      name = "quota",
      mixinStandardHelpOptions = true,
      description = "Set an account's storage quota, such as 20GB ('default' for the configured).")
  int quota(
      @Parameters(index = "0", paramLabel = "USER") String user,
      @Parameters(index = "1", paramLabel = "SIZE|default") String size) {
    Long bytes;
    try {
      bytes = "default".equalsIgnoreCase(size) ? null : Sizes.parse(size);
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.USAGE, "'" + size + "' is not a size (such as 500MB or 20GB) or 'default'");
    }
    AccountQuotaView quota = admin().setQuota(Accounts.idOf(admin(), user), bytes);
    context
        .output()
        .print(
            quota,
            () ->
                context
                    .output()
                    .line(
                        user
                            + ": quota "
                            + Sizes.bytes(quota.quotaBytes())
                            + ", "
                            + Sizes.bytes(quota.bytesUsed())
                            + " used"));
    return ExitCodes.OK;
  }
}
