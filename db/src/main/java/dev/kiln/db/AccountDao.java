package dev.kiln.db;

import dev.kiln.model.Account;
import dev.kiln.model.Role;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code accounts} aggregate. */
@RegisterConstructorMapper(Account.class)
public interface AccountDao {
  String COLUMNS = "id, email, password_hash, role, disabled, created_at";

  @SqlUpdate(
      "insert into accounts (id, email, password_hash, role, disabled, created_at)"
          + " values (:id, :email, :passwordHash, :role, false, :createdAt)")
  void insert(UUID id, String email, String passwordHash, Role role, Instant createdAt);

  @SqlQuery("select " + COLUMNS + " from accounts where id = :id")
  Optional<Account> findById(UUID id);

  @SqlQuery("select " + COLUMNS + " from accounts where lower(email) = lower(:email)")
  Optional<Account> findByEmail(String email);

  @SqlUpdate("update accounts set password_hash = :passwordHash where id = :id")
  int updatePassword(UUID id, String passwordHash);

  @SqlUpdate("update accounts set disabled = :disabled where id = :id")
  int setDisabled(UUID id, boolean disabled);

  @SqlUpdate("update accounts set role = :role where id = :id")
  int setRole(UUID id, Role role);

  @SqlUpdate("delete from accounts where id = :id")
  int delete(UUID id);
}
