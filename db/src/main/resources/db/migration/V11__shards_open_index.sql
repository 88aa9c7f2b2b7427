-- Open shards are always looked up by job (rebuild, cancel, dead letter), which the primary key
-- (job_id, idx) serves. The partial index on state only made the planner hash every open shard
-- of a job when recording a batch, and kept completions from ever being HOT updates.
drop index shards_open_idx;
