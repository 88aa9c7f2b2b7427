-- Prepaid credits: a double-entry ledger. Every movement of credits is one transaction of two or
-- more entries whose amounts sum to zero; entries and transactions are never updated or deleted.
-- Each account has two books, the credits it may spend ('available') and those held for running
-- jobs ('reserved'), neither of which may go below zero; the platform's books ('grants',
-- 'purchases', 'usage', account_id null) mirror them, so the sum of every balance is zero.
-- Amounts are USD. The ledger keeps no foreign key to accounts: financial history outlives them.
create table ledger_books (
    id         bigserial primary key,
    account_id uuid,
    kind       text           not null
        check (kind in ('available', 'reserved', 'grants', 'purchases', 'usage')),
    balance    numeric(18, 6) not null default 0,
    check (account_id is null or balance >= 0),
    check ((account_id is null) = (kind in ('grants', 'purchases', 'usage')))
);
create unique index ledger_books_account_kind on ledger_books (account_id, kind)
    where account_id is not null;
create unique index ledger_books_platform_kind on ledger_books (kind) where account_id is null;
insert into ledger_books (account_id, kind) values (null, 'grants'), (null, 'purchases'), (null, 'usage');

create table ledger_transactions (
    id         uuid primary key,
    account_id uuid           not null,
    kind       text           not null check (kind in ('grant', 'purchase', 'reserve', 'settle')),
    amount     numeric(18, 6) not null check (amount >= 0),
    job_id     uuid,
    reference  text           not null unique,
    memo       text           not null default '',
    created_at timestamptz    not null
);
create index ledger_transactions_account on ledger_transactions (account_id, created_at, id);

create table ledger_entries (
    id             bigserial primary key,
    transaction_id uuid           not null references ledger_transactions (id),
    book_id        bigint         not null references ledger_books (id),
    amount         numeric(18, 6) not null check (amount <> 0)
);
create index ledger_entries_transaction on ledger_entries (transaction_id);

create function ledger_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'ledger rows are immutable: % on %', tg_op, tg_table_name;
end $$;
create trigger ledger_transactions_immutable before update or delete on ledger_transactions
    for each row execute function ledger_immutable();
create trigger ledger_entries_immutable before update or delete on ledger_entries
    for each row execute function ledger_immutable();

-- An entry moves its book's balance at once, so the book's check refuses an overdraft in the
-- statement that would cause it.
create function ledger_post_entry() returns trigger language plpgsql as $$
begin
    update ledger_books set balance = balance + new.amount where id = new.book_id;
    return new;
end $$;
create trigger ledger_entries_post after insert on ledger_entries
    for each row execute function ledger_post_entry();

-- At commit, every transaction touched must balance.
create function ledger_check_balanced() returns trigger language plpgsql as $$
declare
    total numeric;
begin
    select sum(amount) into total from ledger_entries where transaction_id = new.transaction_id;
    if total <> 0 then
        raise exception 'ledger transaction % does not balance: %', new.transaction_id, total;
    end if;
    return null;
end $$;
create constraint trigger ledger_entries_balanced after insert on ledger_entries
    deferrable initially deferred for each row execute function ledger_check_balanced();
