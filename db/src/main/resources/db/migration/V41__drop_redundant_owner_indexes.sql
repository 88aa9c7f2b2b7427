-- The owners' paging indexes (V20: owner, created_at desc, id desc) serve every query the older
-- (owner, created_at desc) indexes served. Each job and file submission paid for an entry in both.
drop index jobs_owner_idx;
drop index files_owner_idx;
