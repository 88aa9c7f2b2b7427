package dev.kiln.api.db;

import dev.kiln.model.Role;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The account read that authenticates every request, written against the handle with a hand-made
 * row mapper: a SQL object's per-call set-up costs more CPU than this query. Stateless.
 */
public final class AccountAuthReads {
  private static final String FIND =
      "select id, email, role, disabled, tokens_valid_after from accounts where id = :id";

  private static final RowMapper<AccountAuth> ACCOUNT =
      (rs, ctx) -> {
        OffsetDateTime validAfter = rs.getObject("tokens_valid_after", OffsetDateTime.class);
        return new AccountAuth(
            rs.getObject("id", UUID.class),
            rs.getString("email"),
            Role.valueOf(rs.getString("role")),
            rs.getBoolean("disabled"),
            validAfter == null ? null : validAfter.toInstant());
      };

  private AccountAuthReads() {}

  public static Optional<AccountAuth> find(Handle handle, UUID id) {
    return handle.createQuery(FIND).bind("id", id).map(ACCOUNT).findOne();
  }
}
