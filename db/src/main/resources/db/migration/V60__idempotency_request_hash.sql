-- The SHA-256 of the request a job was submitted with under its Idempotency-Key, so the same key
-- sent with another body is refused instead of replaying the first job.
alter table jobs add column idempotency_hash text;
