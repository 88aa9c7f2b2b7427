-- Returns {ready, leased, delayed, events}.
local ready = 0
for _, p in ipairs(redis.call('SMEMBERS', P .. 'procs')) do
  for _, owner in ipairs(redis.call('ZRANGE', okey(p), 0, -1)) do
    ready = ready + redis.call('ZCARD', rkey(p, owner))
  end
end
return {ready, redis.call('ZCARD', P .. 'leases'), redis.call('ZCARD', P .. 'delayed'),
  redis.call('XLEN', P .. 'events')}
