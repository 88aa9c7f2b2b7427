-- Browser sessions: one row per refresh token (only its SHA-256 is kept). Each refresh consumes its
-- token and issues the next of the same family; a consumed token presented again ends the family.
create table refresh_tokens (
    token_hash  text        primary key,
    account_id  uuid        not null references accounts (id) on delete cascade,
    family_id   uuid        not null,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index refresh_tokens_account on refresh_tokens (account_id);
create index refresh_tokens_family on refresh_tokens (family_id);
