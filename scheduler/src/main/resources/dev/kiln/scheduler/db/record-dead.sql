-- Dead letters of one batch, with the same once-only rule as completions.
with v as (
    select * from unnest(cast(:jobIds as uuid[]), cast(:idxs as int[]), cast(:attempts as int[]),
        cast(:messages as text[]), cast(:spent as int[])) as v(job_id, idx, attempt, message, spent)
)
update shards s
   set state = <shard_DEAD>, attempt = v.attempt, last_error = v.message,
       dead_attempts = v.spent, updated_at = :now
  from v
 where s.job_id = v.job_id and s.idx = v.idx and s.state = <shard_QUEUED> and s.attempt < v.attempt
returning s.job_id, s.idx, s.last_error
