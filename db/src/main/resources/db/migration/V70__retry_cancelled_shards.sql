-- A failed job cancels its unrun shards; when its owner retries it they wait again
-- (ShardState.CANCELLED -> QUEUED in the model's table).
insert into state_transitions (machine, from_state, to_state) values ('shards', 'CANCELLED', 'QUEUED');
