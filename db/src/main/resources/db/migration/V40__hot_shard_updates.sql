-- Recording a completion rewrites updated_at, so the index on it (V30) made every completion a
-- non-HOT update: a new index entry in it and in the primary key for each shard. Spend sums now
-- reach this month's shards through the jobs open in the month (see SpendDao), which the index
-- below serves; the sink's updates to a job's running totals do not touch finished_at and stay HOT.
drop index shards_updated_idx;
create index jobs_finished_at_idx on jobs (finished_at);

-- Shards are inserted a job at a time, so their pages start full and the update that marks a
-- shard DONE had to move the row to another page: again a non-HOT update. A DONE row (with its
-- output key) takes about twice the space of a QUEUED one, so new pages are filled to 30% and
-- every shard's one update fits on its page; the table ends the same size as before, as the
-- moved rows took that space anyway. Pages written before this migration keep their layout.
alter table shards set (fillfactor = 30);
