package dev.kiln.cli.admin;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.CliException;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.cli.common.Sizes;
import dev.kiln.client.KilnAdminClient;
import dev.kiln.client.api.AccountBudgetView;
import dev.kiln.client.api.AccountSummaryView;
import dev.kiln.client.api.JobView;
import dev.kiln.client.api.Page;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kiln admin}: the operator API as it is: accounts (list, disable, enable, budget), every
 * account's jobs, and the fleet with its queue. Needs an admin's credential. USER is an account id
 * or an e-mail.
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = "Operator commands: users, budgets, jobs, the fleet and its queue.",
    subcommands = FleetCommand.class)
public final class AdminCommand {
  private final CliContext context;

  AdminCommand(CliContext context) {
    this.context = context;
  }

  private KilnAdminClient admin() {
    return context.client().admin();
  }

  @Command(
      name = "users",
      mixinStandardHelpOptions = true,
      description = "List accounts with their usage, budget and spend.")
  int users(@Option(names = "--limit", defaultValue = "200", paramLabel = "N") int limit) {
    List<AccountSummaryView> accounts = accounts(limit);
    context
        .output()
        .print(
            accounts,
            () ->
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
                                        String.valueOf(account.jobs()),
                                        account.monthlyBudgetUsd() == null
                                            ? null
                                            : "$" + account.monthlyBudgetUsd().toPlainString(),
                                        String.format(
                                            Locale.ROOT, "$%.2f", account.monthSpendUsd())))
                            .toList()));
    return ExitCodes.OK;
  }

  @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable an account.")
  int disable(@Parameters(paramLabel = "USER") String user) {
    UUID id = accountId(user);
    admin().disable(id);
    context
        .output()
        .print(
            java.util.Map.of("accountId", id, "disabled", true),
            () -> context.output().line("Disabled " + user));
    return ExitCodes.OK;
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable an account.")
  int enable(@Parameters(paramLabel = "USER") String user) {
    UUID id = accountId(user);
    admin().enable(id);
    context
        .output()
        .print(
            java.util.Map.of("accountId", id, "disabled", false),
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
    AccountBudgetView budget = admin().setBudget(accountId(user), usd);
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

  @Command(name = "jobs", mixinStandardHelpOptions = true, description = "Every account's jobs.")
  int jobs(
      @Option(names = "--state", paramLabel = "STATE") String state,
      @Option(names = "--limit", defaultValue = "50", paramLabel = "N") int limit) {
    List<JobView> jobs = new ArrayList<>();
    String cursor = null;
    do {
      Page<JobView> page = admin().jobs(state, cursor, Math.min(200, limit - jobs.size()));
      jobs.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null && jobs.size() < limit);
    context
        .output()
        .print(
            jobs,
            () ->
                context
                    .output()
                    .table(
                        List.of("ID", "STATE", "PROCESSOR", "PROGRESS", "CREATED"),
                        jobs.stream()
                            .map(
                                job ->
                                    Arrays.asList(
                                        job.id().toString(),
                                        context.output().style().state(job.state().name()),
                                        job.processor(),
                                        job.progress().shardsDone()
                                            + "/"
                                            + job.progress().shardsTotal(),
                                        job.timings() == null
                                            ? null
                                            : String.valueOf(job.timings().createdAt())))
                            .toList()));
    return ExitCodes.OK;
  }

  private List<AccountSummaryView> accounts(int limit) {
    List<AccountSummaryView> accounts = new ArrayList<>();
    String cursor = null;
    do {
      Page<AccountSummaryView> page =
          admin().accounts(cursor, Math.min(200, limit - accounts.size()));
      accounts.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null && accounts.size() < limit);
    return accounts;
  }

  /** An account id as given, or the id of the account with that e-mail. */
  private UUID accountId(String user) {
    try {
      return UUID.fromString(user);
    } catch (IllegalArgumentException notAnId) {
      String cursor = null;
      do {
        Page<AccountSummaryView> page = admin().accounts(cursor, 200);
        for (AccountSummaryView account : page.items()) {
          if (account.email().equalsIgnoreCase(user.strip())) {
            return account.id();
          }
        }
        cursor = page.nextCursor();
      } while (cursor != null);
      throw new CliException(ExitCodes.NOT_FOUND, "no account has the e-mail " + user);
    }
  }
}
