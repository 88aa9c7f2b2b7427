package dev.kiln.cli.admin;

import dev.kiln.cli.common.CliException;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.client.KilnAdminClient;
import dev.kiln.client.api.AccountSummaryView;
import dev.kiln.client.api.Page;
import java.util.Locale;
import java.util.UUID;

/** Finds the account a command names: USER is an account id or an e-mail. Stateless. */
final class Accounts {
  private Accounts() {}

  /** The account id as given, or the id of the account with that e-mail (searched for). */
  static UUID idOf(KilnAdminClient admin, String user) {
    try {
      return UUID.fromString(user.strip());
    } catch (IllegalArgumentException notAnId) {
      String email = user.strip().toLowerCase(Locale.ROOT);
      String cursor = null;
      do {
        Page<AccountSummaryView> page = admin.accounts(email, null, null, cursor, 200);
        for (AccountSummaryView account : page.items()) {
          if (account.email().equalsIgnoreCase(email)) {
            return account.id();
          }
        }
        cursor = page.nextCursor();
      } while (cursor != null);
      throw new CliException(ExitCodes.NOT_FOUND, "no account has the e-mail " + user);
    }
  }
}
