package dev.kiln.testkit;

import dev.kiln.model.JobState;
import dev.kiln.model.ShardState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;

/** Rows that spend agent time, for tests of budgets and spend reports. Stateless. */
public final class SpendRows {
  private SpendRows() {}

  /**
   * A job of {@code owner} with one DONE shard that took {@code agentSeconds}, last updated {@code
   * at}; the job is RUNNING, or SUCCEEDED at {@code jobFinishedAt} when that is not null.
   */
  public static void finishedShard(
      DataSource database, UUID owner, double agentSeconds, Instant at, Instant jobFinishedAt) {
    UUID job = UUID.randomUUID();
    try (Connection connection = database.getConnection();
        PreparedStatement jobs =
            connection.prepareStatement(
                "insert into jobs (id, owner_id, processor, state, created_at, finished_at)"
                    + " values (?, ?, 'parse', ?, ?, ?)");
        PreparedStatement shards =
            connection.prepareStatement(
                "insert into shards (job_id, idx, input_position, file_id, start_offset,"
                    + " end_offset, state, agent_seconds, updated_at)"
                    + " values (?, 0, 0, ?, 0, 100, ?, ?, ?)")) {
      jobs.setObject(1, job);
      jobs.setObject(2, owner);
      jobs.setString(3, (jobFinishedAt == null ? JobState.RUNNING : JobState.SUCCEEDED).name());
      jobs.setObject(4, at.atOffset(ZoneOffset.UTC));
      if (jobFinishedAt == null) {
        jobs.setNull(5, Types.TIMESTAMP_WITH_TIMEZONE);
      } else {
        jobs.setObject(5, jobFinishedAt.atOffset(ZoneOffset.UTC));
      }
      jobs.executeUpdate();
      shards.setObject(1, job);
      shards.setObject(2, UUID.randomUUID());
      shards.setString(3, ShardState.DONE.name());
      shards.setDouble(4, agentSeconds);
      shards.setObject(5, at.atOffset(ZoneOffset.UTC));
      shards.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("could not insert a spent shard", e);
    }
  }
}
