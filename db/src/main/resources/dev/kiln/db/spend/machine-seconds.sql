-- A job's agent time per machine and per price in effect when its shards finished: a shard bought on
-- spot takes the spot price of its type in its own Availability Zone (in any zone when the zone was
-- not recorded), one bought on demand the on-demand price of its type; both take the newest price
-- that had taken effect by the shard's end. No such price: the columns are null and the configured
-- price applies. The on-demand price of the type at that moment gives what on-demand would have cost.
select s.instance_type, s.purchase_option, used.usd_per_hour as fetched_usd,
       used.source as fetched_source, od.usd_per_hour as on_demand_usd,
       sum(s.agent_seconds) as seconds
  from shards s
  left join lateral (
      select p.usd_per_hour, p.source
        from instance_prices p
       where p.instance_type = s.instance_type and p.purchase_option = s.purchase_option
         and p.effective_at <= s.updated_at
         and (p.purchase_option <> 'spot' or s.availability_zone is null
              or p.location = s.availability_zone)
       order by p.effective_at desc, p.usd_per_hour desc
       limit 1) used on true
  left join lateral (
      select p.usd_per_hour
        from instance_prices p
       where p.instance_type = s.instance_type and p.purchase_option = 'on-demand'
         and p.effective_at <= s.updated_at
       order by p.effective_at desc
       limit 1) od on true
 where s.job_id = :jobId and s.agent_seconds > 0
 group by s.instance_type, s.purchase_option, used.usd_per_hour, used.source, od.usd_per_hour
 order by s.instance_type, s.purchase_option, used.usd_per_hour
