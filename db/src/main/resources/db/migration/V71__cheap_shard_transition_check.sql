-- Shards change state tens of thousands of times a second, and calling the PL/pgSQL check for
-- every row doubled PostgreSQL's CPU per recorded shard. The trigger's WHEN clause now passes the
-- allowed edges (the 'shards' rows of state_transitions) without calling any function, so the
-- check runs only for an edge the table lacks, and still rejects it. StateTransitionIT checks
-- every pair against the Java table.
drop trigger shards_state_transition on shards;

create trigger shards_state_transition
    before update of state on shards
    for each row when (
        old.state is distinct from new.state
        and not (old.state = 'QUEUED' and new.state in ('DONE', 'DEAD', 'CANCELLED'))
        and not (old.state in ('DEAD', 'CANCELLED') and new.state = 'QUEUED'))
    execute function enforce_state_transition();
