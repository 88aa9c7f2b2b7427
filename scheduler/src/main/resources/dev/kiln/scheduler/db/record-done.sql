-- Completions of one batch: a shard counts once, and only with an attempt newer than the recorded one,
-- and only while its job runs (a cancelled or failed job's totals do not move).
with v as (
    select * from unnest(cast(:jobIds as uuid[]), cast(:idxs as int[]), cast(:attempts as int[]),
        cast(:keys as text[]), cast(:bytes as bigint[]), cast(:records as bigint[]),
        cast(:errors as bigint[]), cast(:errorKeys as text[]), cast(:seconds as float8[]),
        cast(:newlines as bigint[]), cast(:instanceTypes as text[]),
        cast(:purchaseOptions as text[]), cast(:zones as text[]))
        as v(job_id, idx, attempt, output_key, output_bytes, records, errors, error_key, seconds,
             newlines, instance_type, purchase_option, availability_zone)
), done as (
    update shards s
       set state = <shard_DONE>, attempt = v.attempt, output_key = v.output_key,
           output_bytes = v.output_bytes, records = v.records, errors = v.errors,
           error_key = v.error_key, agent_seconds = v.seconds, updated_at = :now,
           newlines = case when v.newlines < 0 then null else v.newlines end,
           instance_type = v.instance_type, purchase_option = v.purchase_option,
           availability_zone = v.availability_zone
      from v
     where s.job_id = v.job_id and s.idx = v.idx and s.state = <shard_QUEUED> and s.attempt < v.attempt
       and exists (select 1 from jobs j where j.id = s.job_id and j.state = <job_RUNNING>)
    returning s.job_id, s.records, s.errors, s.agent_seconds
), totals as (
    select job_id, count(*) as shards, sum(records) as records, sum(errors) as errors,
           sum(agent_seconds) as seconds
      from done group by job_id
), progress as (
    update jobs j
       set shards_done = j.shards_done + t.shards, records = j.records + t.records,
           errors = j.errors + t.errors, agent_seconds = j.agent_seconds + t.seconds
      from totals t
     where j.id = t.job_id
    returning t.shards
)
select coalesce(sum(shards), 0)::int from progress
