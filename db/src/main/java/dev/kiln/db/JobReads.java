package dev.kiln.db;

import dev.kiln.model.Job;
import dev.kiln.model.JobInput;
import dev.kiln.model.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
      "select job_id, position, file_id, header, output_file_id, shard_note from job_inputs"
          + " where job_id = :jobId order by position";

  private static final String FIND = "select " + JobDao.COLUMNS + " from jobs where id = :id";

  private static final String FIND_BY_IDEMPOTENCY_KEY =
      "select "
          + JobDao.COLUMNS
          + " from jobs where owner_id = :ownerId and idempotency_key = :idempotencyKey";

  private static final String REQUEST_HASH_BY_IDEMPOTENCY_KEY =
      "select idempotency_hash from jobs where owner_id = :ownerId"
          + " and idempotency_key = :idempotencyKey and idempotency_hash is not null";

  /**
   * Jobs joined to their inputs, one row per input, each job's rows together in position order
   * (plain JDBC: one positional parameter). Each job's inputs are looked up by their primary key: a
   * join of two primary-key lookups costs PostgreSQL about half of what two array subqueries did,
   * and the rows decode without parsing array literals. {@code offset 0} keeps the planner from
   * flattening the lateral subquery into a plain join, which for a young {@code job_inputs} (no
   * statistics yet) it runs as a hash join over the whole table: ten times the cost for a batch of
   * seven jobs.
   */
  private static final String FIND_WITH_INPUTS_WHERE =
      "select "
          + JobDao.COLUMNS
          + ", i.position as input_position, i.file_id as input_file, i.output_file_id as"
          + " output_file, i.shard_note as input_shard_note from jobs left join lateral (select"
          + " position, file_id, output_file_id, shard_note from job_inputs where job_id ="
          + " jobs.id offset 0) i on true where jobs.id ";

  private static final String FIND_WITH_INPUTS = FIND_WITH_INPUTS_WHERE + "= ? order by i.position";

  /**
   * As {@link #FIND_WITH_INPUTS} for an array of job ids. The array goes in through a sub-select,
   * so the planner cannot see its length: with {@code any(?)}, each batch's custom plan costs
   * differently from the generic one, PostgreSQL keeps planning every execution afresh, and the
   * planning costs more than the reads.
   */
  private static final String FIND_ALL_WITH_INPUTS =
      FIND_WITH_INPUTS_WHERE + "= any((select ?)::uuid[]) order by jobs.id, i.position";

  private static final RowMapper<Job> JOB = (rs, ctx) -> job(rs);

  private static final RowMapper<JobInput> INPUT =
      (rs, ctx) ->
          new JobInput(
              rs.getObject("job_id", UUID.class),
              rs.getInt("position"),
              rs.getObject("file_id", UUID.class),
              rs.getString("header"),
              rs.getObject("output_file_id", UUID.class),
              rs.getString("shard_note"));

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

  /**
   * The hash of the request that created the owner's job under {@code idempotencyKey}; empty when
   * there is no such job or it was stored without one.
   */
  public static Optional<String> requestHashOf(Handle handle, UUID ownerId, String idempotencyKey) {
    return handle
        .createQuery(REQUEST_HASH_BY_IDEMPOTENCY_KEY)
        .bind("ownerId", ownerId)
        .bind("idempotencyKey", idempotencyKey)
        .mapTo(String.class)
        .findOne();
  }

  /** A job and its inputs (without their CSV headers). */
  public record JobWithInputs(Job job, List<JobInput> inputs) {
    public boolean isOwnedBy(UUID ownerId) {
      return job.ownerId().equals(ownerId);
    }
  }

  /** The job with its inputs (without their CSV headers) in one statement, whoever owns it. */
  public static Optional<JobWithInputs> findWithInputs(DataSource dataSource, UUID id) {
    return Optional.ofNullable(findAllWithInputs(dataSource, List.of(id)).get(id));
  }

  /**
   * The jobs among {@code ids} that exist, with their inputs (without their CSV headers), in one
   * statement, whoever owns them. The read behind every job poll (through {@link JobReadBatcher}),
   * so it goes straight to JDBC on a pooled connection: a Jdbi handle's set-up (configuration copy,
   * statement customizers, argument lookup) cost as much CPU as PostgreSQL spends on the query.
   */
  public static Map<UUID, JobWithInputs> findAllWithInputs(DataSource dataSource, List<UUID> ids) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                ids.size() == 1 ? FIND_WITH_INPUTS : FIND_ALL_WITH_INPUTS)) {
      if (ids.size() == 1) {
        statement.setObject(1, ids.get(0));
      } else {
        statement.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
      }
      try (ResultSet rs = statement.executeQuery()) {
        return withInputs(rs, ids.size());
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read jobs " + ids, e);
    }
  }

  /** The job's inputs in position order. */
  public static List<JobInput> inputs(Handle handle, UUID jobId) {
    return handle.createQuery(INPUTS).bind("jobId", jobId).map(INPUT).list();
  }

  /** The jobs on the rows of {@code rs}, each job's rows together and in input position order. */
  private static Map<UUID, JobWithInputs> withInputs(ResultSet rs, int expected)
      throws SQLException {
    Map<UUID, JobWithInputs> found = new HashMap<>(expected * 2);
    boolean more = rs.next();
    while (more) {
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
                  rs.getObject("output_file", UUID.class),
                  rs.getString("input_shard_note")));
        }
        more = rs.next();
      } while (more && job.id().equals(rs.getObject("id", UUID.class)));
      found.put(job.id(), new JobWithInputs(job, inputs));
    }
    return found;
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
