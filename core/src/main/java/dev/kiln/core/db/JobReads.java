package dev.kiln.core.db;

import dev.kiln.core.model.Job;
import dev.kiln.core.model.JobInput;
import dev.kiln.core.model.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Reads of a job and its inputs that run on every job request, written against the handle with
 * hand-made row mappers: a SQL object repeats its reflective set-up (configuration copies, mapper
 * lookups) on every call, which costs more CPU than the queries themselves.
 *
 * <p>A job is found by its primary key alone and its owner compared afterwards. With {@code
 * owner_id = ?} in the statement, PostgreSQL's generic plan for a young table (no statistics yet)
 * may walk the owner's whole paging index instead of the key: a read then costs as many page visits
 * as the owner has jobs. Stateless.
 */
public final class JobReads {
  /** The inputs of {@code :jobId} in position order. */
  public static final String INPUTS =
      "select job_id, position, file_id, header, output_file_id from job_inputs"
          + " where job_id = :jobId order by position";

  private static final String FIND = "select " + JobDao.COLUMNS + " from jobs where id = :id";

  private static final String FIND_BY_IDEMPOTENCY_KEY =
      "select "
          + JobDao.COLUMNS
          + " from jobs where owner_id = :ownerId and idempotency_key = :idempotencyKey";

  /**
   * The job joined to its inputs, one row per input in position order (plain JDBC: one positional
   * parameter, the job id). A join of two primary-key lookups costs PostgreSQL about half of what
   * two array subqueries did, and the rows decode without parsing array literals.
   */
  private static final String FIND_WITH_INPUTS =
      "select "
          + JobDao.COLUMNS
          + ", i.position as input_position, i.file_id as input_file, i.output_file_id as"
          + " output_file from jobs left join job_inputs i on i.job_id = jobs.id where jobs.id = ?"
          + " order by i.position";

  private static final RowMapper<Job> JOB = (rs, ctx) -> job(rs);

  private static final RowMapper<JobInput> INPUT =
      (rs, ctx) ->
          new JobInput(
              rs.getObject("job_id", UUID.class),
              rs.getInt("position"),
              rs.getObject("file_id", UUID.class),
              rs.getString("header"),
              rs.getObject("output_file_id", UUID.class));

  private JobReads() {}

  /** The owner's job, or empty when it does not exist or belongs to someone else. */
  public static Optional<Job> findForOwner(Handle handle, UUID id, UUID ownerId) {
    return handle
        .createQuery(FIND)
        .bind("id", id)
        .map(JOB)
        .findOne()
        .filter(job -> job.ownerId().equals(ownerId));
  }

  /** The owner's job submitted with {@code idempotencyKey}, if any. */
  public static Optional<Job> findByIdempotencyKey(
      Handle handle, UUID ownerId, String idempotencyKey) {
    return handle
        .createQuery(FIND_BY_IDEMPOTENCY_KEY)
        .bind("ownerId", ownerId)
        .bind("idempotencyKey", idempotencyKey)
        .map(JOB)
        .findOne();
  }

  /** A job and its inputs (without their CSV headers). */
  public record JobWithInputs(Job job, List<JobInput> inputs) {}

  /**
   * The owner's job with its inputs (without their CSV headers), or empty when it does not exist or
   * belongs to someone else.
   */
  public static Optional<JobWithInputs> findWithInputsForOwner(
      DataSource dataSource, UUID id, UUID ownerId) {
    return findWithInputs(dataSource, id).filter(found -> found.job().ownerId().equals(ownerId));
  }

  /**
   * The job with its inputs (without their CSV headers) in one statement, whoever owns it. The read
   * behind every job poll, so it goes straight to JDBC on a pooled connection: a Jdbi handle's
   * set-up (configuration copy, statement customizers, argument lookup) cost as much CPU as
   * PostgreSQL spends on the query.
   */
  public static Optional<JobWithInputs> findWithInputs(DataSource dataSource, UUID id) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(FIND_WITH_INPUTS)) {
      statement.setObject(1, id);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? Optional.of(withInputs(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read job " + id, e);
    }
  }

  /** The job's inputs in position order. */
  public static List<JobInput> inputs(Handle handle, UUID jobId) {
    return handle.createQuery(INPUTS).bind("jobId", jobId).map(INPUT).list();
  }

  /** The job on the current row and the inputs on it and the rows after it. */
  private static JobWithInputs withInputs(ResultSet rs) throws SQLException {
    Job job = job(rs);
    List<JobInput> inputs = new ArrayList<>(1);
    do {
      UUID file = rs.getObject("input_file", UUID.class);
      if (file != null) {
        inputs.add(
            new JobInput(
                job.id(),
                rs.getInt("input_position"),
                file,
                null,
                rs.getObject("output_file", UUID.class)));
      }
    } while (rs.next());
    return new JobWithInputs(job, inputs);
  }

  private static Job job(ResultSet rs) throws SQLException {
    return new Job(
        rs.getObject("id", UUID.class),
        rs.getObject("owner_id", UUID.class),
        rs.getString("processor"),
        rs.getObject("model_file_id", UUID.class),
        rs.getString("params_json"),
        rs.getInt("priority"),
        JobState.valueOf(rs.getString("state")),
        rs.getString("failure_reason"),
        rs.getString("idempotency_key"),
        rs.getInt("shards_total"),
        rs.getInt("shards_done"),
        rs.getLong("records"),
        rs.getLong("errors"),
        rs.getDouble("agent_seconds"),
        Columns.instant(rs, "created_at"),
        Columns.instant(rs, "started_at"),
        Columns.instant(rs, "finished_at"));
  }
}
