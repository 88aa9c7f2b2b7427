-- Per-account monthly budgets (null = no limit) and the index spend sums use.

alter table accounts add column monthly_budget_usd numeric check (monthly_budget_usd >= 0);

create index shards_updated_idx on shards (updated_at);
