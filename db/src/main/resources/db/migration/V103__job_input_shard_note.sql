-- Why the planner made an input one shard when it could not be cut (a gzip or zstd input, a
-- compressed tar), shown with the input on the job; null when the input was split by size.
alter table job_inputs add column shard_note text;
