-- A retried job holds credits once per run: its runs are counted, and what its settled runs were
-- charged summed, by job.
create index ledger_transactions_job on ledger_transactions (job_id, kind) where job_id is not null;
