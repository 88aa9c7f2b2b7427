package dev.kiln.scheduler.plan;

import dev.kiln.model.Shard;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Writes a plan's shard rows in one statement, their columns sent as arrays and unnested, however
 * many there are: a terabyte input's 16,384 shards cost one round trip and one statement instead of
 * a batch of 16,384 inserts. Stateless.
 */
final class ShardRows {
  private static final String INSERT =
      """
      insert into shards (job_id, idx, input_position, file_id, start_offset, end_offset, state,
                          attempt, updated_at)
      select :jobId, v.idx, v.input_position, v.file_id, v.start_offset, v.end_offset,
             <shard_QUEUED>, 0, :now
        from unnest(cast(:idxs as int[]), cast(:inputPositions as int[]),
                    cast(:fileIds as uuid[]), cast(:starts as bigint[]), cast(:ends as bigint[]))
             as v(idx, input_position, file_id, start_offset, end_offset)
      """;

  private ShardRows() {}

  /** Inserts {@code shards} of one job as QUEUED with attempt 0. */
  static void insertQueued(Handle handle, UUID jobId, List<Shard> shards, Instant now) {
    int n = shards.size();
    Integer[] idxs = new Integer[n];
    Integer[] inputPositions = new Integer[n];
    UUID[] fileIds = new UUID[n];
    Long[] starts = new Long[n];
    Long[] ends = new Long[n];
    for (int i = 0; i < n; i++) {
      Shard shard = shards.get(i);
      idxs[i] = shard.idx();
      inputPositions[i] = shard.inputPosition();
      fileIds[i] = shard.fileId();
      starts[i] = shard.startOffset();
      ends[i] = shard.endOffset();
    }
    handle
        .createUpdate(INSERT)
        .bind("jobId", jobId)
        .bindArray("idxs", Integer.class, (Object[]) idxs)
        .bindArray("inputPositions", Integer.class, (Object[]) inputPositions)
        .bindArray("fileIds", UUID.class, (Object[]) fileIds)
        .bindArray("starts", Long.class, (Object[]) starts)
        .bindArray("ends", Long.class, (Object[]) ends)
        .bind("now", now)
        .execute();
  }
}
