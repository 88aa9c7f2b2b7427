package dev.kiln.dropwizard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.db.Databases;
import dev.kiln.model.JobState;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Jdbi that {@link DatabaseFactory} builds runs Kiln's statements with the state attributes
 * bound, names each SQL-object statement in a comment, and parses each template once.
 */
@ExtendWith(KilnStackExtension.class)
class DatabaseFactoryIT {

  /** A SQL object with a template attribute that {@code StateSql} defines. */
  interface States {
    @SqlQuery("select <job_RUNNING>")
    String running();
  }

  @Test
  void statementsCarryTheirCallerInACommentAndRunWithTheStateAttributes(TestStack stack)
      throws Exception {
    DataSourceFactory config = new DataSourceFactory();
    config.setDriverClass("org.postgresql.Driver");
    config.setUrl(stack.jdbcUrl());
    config.setUser(stack.dbUser());
    config.setPassword(stack.dbPassword());
    Environment environment = new Environment("database-factory-it");
    DatabaseFactory.Database database = DatabaseFactory.build(config, environment, "kiln");
    List<String> rendered = new CopyOnWriteArrayList<>();
    database.jdbi().setSqlLogger(recording(rendered));

    assertThat(database.jdbi().onDemand(States.class).running()).isEqualTo(JobState.RUNNING.name());
    assertThat(rendered)
        .containsExactly("/* States.running */ select '" + JobState.RUNNING.name() + "'");
    assertThat(database.jdbi().getConfig(SqlStatements.class).getTemplateEngine())
        .as("an engine Jdbi can cache the parse of")
        .isInstanceOf(TemplateEngine.Parsing.class);
    assertThat(environment.healthChecks().runHealthCheck("kiln").isHealthy()).isTrue();
  }

  @Test
  void eachTemplateIsParsedOnceWhateverTheNumberOfExecutions(TestStack stack) {
    CountingTemplates templates = new CountingTemplates();
    Jdbi jdbi = Databases.jdbi(stack.dataSource());
    jdbi.setTemplateEngine(new CommentingTemplateEngine(templates));
    States states = jdbi.onDemand(States.class);

    for (int i = 0; i < 20; i++) {
      assertThat(states.running()).isEqualTo(JobState.RUNNING.name());
    }

    assertThat(templates.parses.get()).isEqualTo(1);
  }

  private static SqlLogger recording(List<String> rendered) {
    return new SqlLogger() {
      @Override
      public void logAfterExecution(StatementContext context) {
        rendered.add(context.getRenderedSql());
      }
    };
  }

  /** Jdbi's own template engine, counting how often a template is parsed. */
  private static final class CountingTemplates implements TemplateEngine.Parsing {
    private final DefinedAttributeTemplateEngine templates = new DefinedAttributeTemplateEngine();
    private final AtomicInteger parses = new AtomicInteger();

    @Override
    public Optional<Function<StatementContext, String>> parse(
        String template, ConfigRegistry config) {
      parses.incrementAndGet();
      return templates.parse(template, config);
    }
  }
}
