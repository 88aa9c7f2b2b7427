package dev.kiln.api.db;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The shards of a job that wrote error parts, with what numbering their lines needs. */
@RegisterConstructorMapper(ErrorPartDao.ErrorPart.class)
public interface ErrorPartDao {
  /**
   * A shard's error part.
   *
   * @param newlinesBefore the line breaks in the input before the shard
   * @param countsKnown whether every shard before it in its input recorded its line breaks
   */
  record ErrorPart(
      int idx,
      int inputPosition,
      UUID fileId,
      String fileName,
      String errorKey,
      long newlinesBefore,
      boolean countsKnown) {}

  /** The error parts of shards {@code fromIdx} on, in shard order (which is input order). */
  @SqlQuery(
      """
      with s as (
          select idx, input_position, file_id, error_key,
                 coalesce(sum(newlines) over before, 0) as newlines_before,
                 count(*) filter (where newlines is null) over before = 0 as counts_known
            from shards
           where job_id = :jobId
          window before as (partition by input_position order by idx
                            rows between unbounded preceding and 1 preceding)
      )
      select s.idx, s.input_position, s.file_id, coalesce(f.name, '') as file_name, s.error_key,
             s.newlines_before, s.counts_known
        from s left join files f on f.id = s.file_id
       where s.error_key is not null and s.idx >= :fromIdx
       order by s.idx
      """)
  List<ErrorPart> fromShard(UUID jobId, int fromIdx);
}
