-- Dead letters the operator works on: the attempts a shard spent before it was dead-lettered (null
-- for shards dead-lettered before this was recorded), and when an operator discarded it (failed for
-- good: it leaves the dead-letter list, and neither a requeue nor its owner's retry runs its job
-- again).
alter table shards add column dead_attempts int;
alter table shards add column discarded_at timestamptz;

-- The dead-letter list reads the dead shards newest first.
create index shards_dead_letters on shards (updated_at desc, job_id, idx)
    where state = 'DEAD' and discarded_at is null;
