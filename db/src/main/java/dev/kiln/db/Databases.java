package dev.kiln.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** Creates Jdbi handles on Kiln's schema and migrates it. Stateless. */
public final class Databases {
  /** Where the Flyway migrations live on the classpath. */
  public static final String MIGRATIONS = "classpath:db/migration";

  private Databases() {}

  /** A Jdbi with the SQL-object and Postgres plugins installed. */
  public static Jdbi jdbi(DataSource dataSource) {
    return configure(Jdbi.create(dataSource));
  }

  /**
   * Installs what Kiln's statements need on a Jdbi built elsewhere (e.g. by Dropwizard's {@code
   * JdbiFactory}): the SQL-object and Postgres plugins, the state names as template attributes
   * ({@link StateSql}) and outbox event types stored by their wire names.
   */
  public static Jdbi configure(Jdbi jdbi) {
    jdbi.installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
    StateSql.define(jdbi);
    return OutboxEventTypes.register(jdbi);
  }

  /** Applies pending migrations and validates the applied ones. Returns how many it applied. */
  public static int migrate(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations(MIGRATIONS)
        .validateOnMigrate(true)
        .load()
        .migrate()
        .migrationsExecuted;
  }
}
