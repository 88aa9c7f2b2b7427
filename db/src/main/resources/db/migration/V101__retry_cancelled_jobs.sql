-- The owner may retry a cancelled job (JobState in the model): a planned one runs again from its
-- finished shards (CANCELLED -> RUNNING), one cancelled before planning is planned anew
-- (CANCELLED -> SUBMITTED). StateTransitionIT checks these rows against the Java table.
insert into state_transitions (machine, from_state, to_state) values
    ('jobs', 'CANCELLED', 'RUNNING'),
    ('jobs', 'CANCELLED', 'SUBMITTED');
