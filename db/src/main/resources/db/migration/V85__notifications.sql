-- Notifications of job outcomes and budgets: webhooks with their deliveries and attempts, e-mails
-- waiting to be sent, in-app notifications and per-account preferences. The scheduler's notify
-- stage decides what to send from the outbox, one transaction per event: the event's row in
-- notify_handled_events, its deliveries, e-mails and notifications commit together or not at all.

create table webhooks (
    id              uuid primary key,
    owner_id        uuid        not null references accounts (id) on delete cascade,
    url             text        not null,
    secret          text        not null,
    description     text        not null default '',
    created_at      timestamptz not null,
    failing_since   timestamptz,
    disabled_at     timestamptz,
    disabled_reason text
);
create index webhooks_owner_idx on webhooks (owner_id, created_at, id);

create table webhook_deliveries (
    id              uuid primary key,
    webhook_id      uuid        not null references webhooks (id) on delete cascade,
    event_id        text        not null,
    event_type      text        not null,
    body            text        not null,
    status          text        not null check (status in ('pending', 'delivered', 'failed')),
    attempts        int         not null default 0,
    next_attempt_at timestamptz,
    created_at      timestamptz not null,
    finished_at     timestamptz,
    unique (webhook_id, event_id)
);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at)
    where status = 'pending';
create index webhook_deliveries_list_idx on webhook_deliveries (webhook_id, created_at, id);

create table webhook_attempts (
    id           bigserial primary key,
    delivery_id  uuid        not null references webhook_deliveries (id) on delete cascade,
    attempted_at timestamptz not null,
    status_code  int,
    duration_ms  int         not null,
    error        text
);
create index webhook_attempts_delivery_idx on webhook_attempts (delivery_id, id);

create table notification_preferences (
    account_id      uuid primary key references accounts (id) on delete cascade,
    job_succeeded   boolean not null default true,
    job_failed      boolean not null default true,
    budget_warning  boolean not null default true,
    budget_exceeded boolean not null default true
);

create table notifications (
    id         uuid primary key,
    owner_id   uuid        not null references accounts (id) on delete cascade,
    kind       text        not null,
    title      text        not null,
    body       text        not null,
    job_id     uuid,
    created_at timestamptz not null,
    read_at    timestamptz
);
create index notifications_owner_idx on notifications (owner_id, created_at, id);
create index notifications_unread_idx on notifications (owner_id, created_at, id)
    where read_at is null;

create table email_messages (
    id              uuid primary key,
    owner_id        uuid        not null references accounts (id) on delete cascade,
    kind            text        not null,
    recipient       text        not null,
    subject         text        not null,
    text_body       text        not null,
    html_body       text        not null,
    unsubscribe_url text,
    status          text        not null check (status in ('pending', 'sent', 'failed')),
    attempts        int         not null default 0,
    next_attempt_at timestamptz,
    created_at      timestamptz not null,
    sent_at         timestamptz,
    last_error      text
);
create index email_messages_due_idx on email_messages (next_attempt_at) where status = 'pending';

-- A budget threshold (80 or 100 percent) told once per account and calendar month.
create table budget_alerts (
    account_id uuid        not null references accounts (id) on delete cascade,
    month      date        not null,
    percent    int         not null,
    created_at timestamptz not null,
    primary key (account_id, month, percent)
);

-- The outbox events the notify stage has decided on; every event at or below the cursor has been.
create table notify_handled_events (
    event_id   bigint primary key,
    handled_at timestamptz not null
);
create table notify_cursor (
    id       int primary key check (id = 1),
    after_id bigint not null
);
-- Events written before notifications existed are not told again.
insert into notify_cursor (id, after_id) select 1, coalesce(max(id), 0) from outbox;
