-- A transaction that gives the scheduler work notifies channel kiln_work when it commits, once
-- however many rows it touched: outbox events (a job submitted, cancelled, retried, started or
-- ended), webhook deliveries added or sent again, a webhook enabled again. The scheduler's leader
-- listens, so that its stages wait for this signal instead of asking every tick.
create function kiln_work_signal() returns trigger language plpgsql as $$
begin
  perform pg_notify('kiln_work', '');
  return null;
end
$$;

create trigger outbox_work_signal after insert on outbox
  for each statement execute function kiln_work_signal();

create trigger webhook_delivery_work_signal after insert or update of status, next_attempt_at
  on webhook_deliveries for each statement execute function kiln_work_signal();

create trigger webhook_work_signal after update of disabled_at on webhooks
  for each statement execute function kiln_work_signal();
