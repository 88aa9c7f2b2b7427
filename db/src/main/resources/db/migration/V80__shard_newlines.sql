-- The line breaks (\n bytes) in each shard's byte range, as its agent counted them: the API adds up
-- those of the shards before a shard to number the lines of its failed records in the file.
-- Null for shards recorded before the count existed (their errors then carry no file line).
alter table shards add column newlines bigint;
