-- What the scheduler needs beyond the core schema: queue epochs, leader fencing, error parts,
-- housekeeping marks and a record of the outbox events it has handled.

-- Every rebuild of the Redis queue takes the next epoch; attempt numbers of an epoch start at
-- epoch * 100000, so an attempt issued before a Redis loss can never equal a later one.
create sequence queue_epoch_seq start with 1;

-- Fencing tokens of scheduler leadership; the row holds the token of the current leader and
-- every leader-only transaction checks it (a deposed leader's writes fail).
create sequence leader_fence_seq start with 1;
create table scheduler_fence (
    id         int         primary key check (id = 1),
    token      bigint      not null,
    node       text        not null,
    updated_at timestamptz not null
);
insert into scheduler_fence (id, token, node, updated_at) values (1, 0, 'none', now());

-- Outbox events of interest to the scheduler that it has acted on.
create table scheduler_handled_events (
    event_id   bigint      primary key,
    handled_at timestamptz not null
);
create index outbox_scheduler_idx on outbox (id) where type in ('job.cancelled', 'job.retried');

alter table shards add column error_key text;
alter table jobs add column parts_deleted_at timestamptz;
create index jobs_finished_idx on jobs (finished_at) where parts_deleted_at is null
    and state in ('SUCCEEDED', 'FAILED', 'CANCELLED');
