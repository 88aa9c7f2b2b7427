package dev.kiln.db;

import dev.kiln.model.Role;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The account read that authenticates every request, written against the handle with a hand-made
 * row mapper: a SQL object's per-call set-up costs more CPU than this query. The rest of the {@code
 * accounts} aggregate is {@link AccountDao}. Stateless.
 */
public final class AccountReads {
  private static final String FIND =
      "select id, email, role, disabled, tokens_valid_after from accounts where id = :id";

  private static final RowMapper<AccountAuth> ACCOUNT =
      (rs, ctx) ->
          new AccountAuth(
              rs.getObject("id", UUID.class),
              rs.getString("email"),
              Role.valueOf(rs.getString("role")),
              rs.getBoolean("disabled"),
              Columns.instant(rs, "tokens_valid_after"));

  private AccountReads() {}

  /** The account's authentication state, or empty when there is no such account. */
  public static Optional<AccountAuth> find(Handle handle, UUID id) {
    return handle.createQuery(FIND).bind("id", id).map(ACCOUNT).findOne();
  }
}
