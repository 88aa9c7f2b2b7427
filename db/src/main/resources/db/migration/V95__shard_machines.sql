-- The machine that ran each shard, so a job's cost is priced by what actually ran: the agent's
-- instance type and how it was bought (spot, on-demand, or local off EC2). Null for shards done
-- before machines were recorded, or by agents that do not report one: those are priced flat.
alter table shards
    add column instance_type   text,
    add column purchase_option text
        check (purchase_option in ('spot', 'on-demand', 'local'));
