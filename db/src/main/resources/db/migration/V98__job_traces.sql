-- The W3C traceparent of the API request that submitted a job, when the API traces: the scheduler
-- opens the job's planning span as its child, so one trace runs from the request to the agents'
-- shards. A row exists only for traced jobs; it goes with its job.
create table job_traces (
    job_id       uuid primary key references jobs (id) on delete cascade,
    trace_parent text not null check (length(trace_parent) <= 256)
);
