-- Accounts, files, jobs, shards and the outbox: the source of truth for every job.

create table accounts (
    id            uuid primary key,
    email         text        not null,
    password_hash text        not null,
    role          text        not null check (role in ('USER', 'ADMIN')),
    disabled      boolean     not null default false,
    created_at    timestamptz not null
);
create unique index accounts_email_key on accounts (lower(email));

create table files (
    id           uuid primary key,
    owner_id     uuid        not null references accounts (id) on delete cascade,
    name         text        not null,
    bucket       text        not null,
    object_key   text        not null,
    size_bytes   bigint      not null default 0 check (size_bytes >= 0),
    etag         text,
    state        text        not null check (state in ('PENDING', 'READY')),
    created_at   timestamptz not null,
    completed_at timestamptz,
    expires_at   timestamptz
);
create index files_owner_idx on files (owner_id, created_at desc);
create index files_expiry_idx on files (expires_at) where expires_at is not null;

create table jobs (
    id              uuid primary key,
    owner_id        uuid             not null references accounts (id) on delete cascade,
    processor       text             not null,
    model_file_id   uuid             references files (id) on delete restrict,
    params_json     jsonb            not null default '{}'::jsonb,
    priority        int              not null default 0,
    state           text             not null
        check (state in ('SUBMITTED', 'RUNNING', 'ASSEMBLING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    failure_reason  text,
    idempotency_key text,
    shards_total    int              not null default 0,
    shards_done     int              not null default 0,
    records         bigint           not null default 0,
    errors          bigint           not null default 0,
    agent_seconds   double precision not null default 0,
    created_at      timestamptz      not null,
    started_at      timestamptz,
    finished_at     timestamptz
);
create index jobs_owner_idx on jobs (owner_id, created_at desc);
create index jobs_state_idx on jobs (state) where state in ('SUBMITTED', 'RUNNING', 'ASSEMBLING');
create unique index jobs_idempotency_key on jobs (owner_id, idempotency_key)
    where idempotency_key is not null;

create table job_inputs (
    job_id         uuid not null references jobs (id) on delete cascade,
    position       int  not null,
    file_id        uuid not null references files (id) on delete restrict,
    header         text,
    output_file_id uuid references files (id) on delete set null,
    primary key (job_id, position)
);

create table shards (
    job_id         uuid             not null references jobs (id) on delete cascade,
    idx            int              not null,
    input_position int              not null,
    file_id        uuid             not null,
    start_offset   bigint           not null,
    end_offset     bigint           not null,
    state          text             not null check (state in ('QUEUED', 'DONE', 'DEAD', 'CANCELLED')),
    attempt        int              not null default 0,
    output_key     text,
    output_bytes   bigint           not null default 0,
    records        bigint           not null default 0,
    errors         bigint           not null default 0,
    agent_seconds  double precision not null default 0,
    last_error     text,
    updated_at     timestamptz      not null,
    primary key (job_id, idx),
    check (start_offset <= end_offset)
);
create index shards_open_idx on shards (job_id) where state = 'QUEUED';

create table outbox (
    id           bigserial primary key,
    job_id       uuid        not null,
    owner_id     uuid        not null,
    type         text        not null,
    payload_json jsonb       not null default '{}'::jsonb,
    created_at   timestamptz not null,
    processed_at timestamptz
);
create index outbox_pending_idx on outbox (id) where processed_at is null;
create index outbox_job_idx on outbox (job_id, id);
