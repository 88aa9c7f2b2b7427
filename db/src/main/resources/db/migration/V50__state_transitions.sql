-- The transition tables of JobState, ShardState and FileState (model module), enforced here too:
-- an update that moves a row's state along an edge the table lacks fails, whichever code sent
-- it. StateTransitionIT checks that these rows equal the Java tables, pair by pair.
create table state_transitions (
    machine    text not null,
    from_state text not null,
    to_state   text not null,
    primary key (machine, from_state, to_state)
);

insert into state_transitions (machine, from_state, to_state) values
    ('jobs', 'SUBMITTED', 'RUNNING'),
    ('jobs', 'SUBMITTED', 'FAILED'),
    ('jobs', 'SUBMITTED', 'CANCELLED'),
    ('jobs', 'RUNNING', 'ASSEMBLING'),
    ('jobs', 'RUNNING', 'FAILED'),
    ('jobs', 'RUNNING', 'CANCELLED'),
    ('jobs', 'ASSEMBLING', 'SUCCEEDED'),
    ('jobs', 'ASSEMBLING', 'FAILED'),
    ('jobs', 'ASSEMBLING', 'CANCELLED'),
    ('jobs', 'FAILED', 'RUNNING'),
    ('shards', 'QUEUED', 'DONE'),
    ('shards', 'QUEUED', 'DEAD'),
    ('shards', 'QUEUED', 'CANCELLED'),
    ('shards', 'DEAD', 'QUEUED'),
    ('files', 'PENDING', 'READY');

create function enforce_state_transition() returns trigger
    language plpgsql as
$$
begin
    if not exists (select 1
                     from state_transitions
                    where machine = tg_table_name
                      and from_state = old.state
                      and to_state = new.state) then
        raise exception 'state transition % -> % is not allowed for %', old.state, new.state, tg_table_name
            using errcode = 'check_violation';
    end if;
    return new;
end;
$$;

create trigger jobs_state_transition
    before update of state on jobs
    for each row when (old.state is distinct from new.state)
    execute function enforce_state_transition();

create trigger shards_state_transition
    before update of state on shards
    for each row when (old.state is distinct from new.state)
    execute function enforce_state_transition();

create trigger files_state_transition
    before update of state on files
    for each row when (old.state is distinct from new.state)
    execute function enforce_state_transition();
