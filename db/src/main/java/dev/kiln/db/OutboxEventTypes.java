package dev.kiln.db;

import dev.kiln.model.OutboxEventType;
import java.sql.Types;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

/** Stores an {@link OutboxEventType} as its wire name ({@code job.cancelled}) and reads it back. */
final class OutboxEventTypes extends AbstractArgumentFactory<OutboxEventType> {
  private OutboxEventTypes() {
    super(Types.VARCHAR);
  }

  static Jdbi register(Jdbi jdbi) {
    return jdbi.registerArgument(new OutboxEventTypes())
        .registerColumnMapper(
            OutboxEventType.class,
            (rs, column, ctx) -> {
              String name = rs.getString(column);
              return name == null
                  ? null
                  : OutboxEventType.fromWireName(name)
                      .orElseThrow(
                          () -> new IllegalStateException("unknown outbox event type " + name));
            });
  }

  @Override
  protected Argument build(OutboxEventType value, ConfigRegistry config) {
    return (position, statement, ctx) -> statement.setString(position, value.wireName());
  }
}
