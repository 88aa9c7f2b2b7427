package dev.kiln.dropwizard;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.db.Databases;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.jdbi3.NamePrependingTemplateEngine;
import javax.sql.DataSource;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine;
import org.jdbi.v3.core.statement.SqlStatements;

/**
 * Builds the pooled data source, migrates the schema (Flyway, validated) and returns it with a Jdbi
 * on it, built by Dropwizard's {@link JdbiFactory}. Dropwizard's {@link DataSourceFactory} is the
 * configuration.
 */
public final class DatabaseFactory {
  private DatabaseFactory() {}

  /** The pool, for the few hot reads that go straight to JDBC, and the Jdbi on it. */
  public record Database(DataSource dataSource, Jdbi jdbi) {}

  public static Database build(DataSourceFactory config, Environment environment, String name) {
    ManagedDataSource dataSource = pool(config, environment.metrics(), name);
    Databases.migrate(dataSource);
    Jdbi jdbi = new KilnJdbiFactory().build(environment, config, dataSource, name);
    return new Database(dataSource, jdbi);
  }

  /**
   * Dropwizard's factory (a timer per SQL statement, the health check on the validation query, the
   * pool in the lifecycle) with Kiln's plugins and state attributes on top, and statement comments
   * that keep Jdbi's template cache ({@link CommentingTemplateEngine}).
   */
  private static final class KilnJdbiFactory extends JdbiFactory {
    @Override
    protected void configure(Jdbi jdbi) {
      super.configure(jdbi);
      if (jdbi.getConfig(SqlStatements.class).getTemplateEngine()
          instanceof NamePrependingTemplateEngine) {
        jdbi.setTemplateEngine(new CommentingTemplateEngine(new DefinedAttributeTemplateEngine()));
      }
      Databases.configure(jdbi);
    }
  }

  /**
   * The connection pool the configuration describes, not yet migrated or managed. A connection is
   * checked when it is borrowed (at most once per {@code validationInterval}), not while it idles:
   * the pool's evictor would otherwise send every idle connection's validation query every
   * interval, so that an idle service kept querying its database.
   */
  public static ManagedDataSource pool(
      DataSourceFactory config, MetricRegistry metrics, String name) {
    config.setCheckConnectionWhileIdle(false);
    config.setCheckConnectionOnBorrow(true);
    ManagedDataSource dataSource = config.build(metrics, name);
    if (dataSource instanceof DataSourceProxy pool) {
      // Jdbi closes every connection and statement it opens, so the pool's guard proxies around
      // them (reflective calls on every JDBC method) only cost CPU.
      pool.setUseDisposableConnectionFacade(false);
      pool.setUseStatementFacade(false);
    }
    return dataSource;
  }
}
