-- What the API needs beyond the core schema: token revocation, API keys, multipart uploads,
-- per-account quotas and the audit log of admin actions.

-- Access tokens issued before this instant are rejected (log out, password change).
alter table accounts add column tokens_valid_after timestamptz;
-- Per-account storage quota in bytes; null means the configured default.
alter table accounts add column quota_bytes bigint check (quota_bytes is null or quota_bytes >= 0);

-- The S3 multipart upload of a pending file, if it is uploaded in parts.
alter table files add column upload_id text;

create table api_keys (
    id           uuid primary key,
    account_id   uuid        not null references accounts (id) on delete cascade,
    name         text        not null,
    prefix       text        not null,
    key_hash     text        not null,
    created_at   timestamptz not null,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create unique index api_keys_hash_key on api_keys (key_hash);
create index api_keys_account_idx on api_keys (account_id, created_at desc);

create table audit_log (
    id          bigserial primary key,
    actor_id    uuid        not null,
    action      text        not null,
    target_type text        not null,
    target_id   text        not null,
    detail_json jsonb       not null default '{}'::jsonb,
    created_at  timestamptz not null
);
create index audit_log_created_idx on audit_log (created_at desc);

-- Keyset paging of jobs and files: (created_at, id) descending.
create index jobs_owner_page_idx on jobs (owner_id, created_at desc, id desc);
create index files_owner_page_idx on files (owner_id, created_at desc, id desc);
