-- ARGV: job. Drops the job's waiting shards and flags its leased ones, which the next heartbeat
-- returns. Returns how many shards it touched.
local job = ARGV[1]
local n = 0
for _, id in ipairs(redis.call('SMEMBERS', jkey(job))) do
  local v = redis.call('HMGET', skey(id), 'st', 'p', 'o')
  if v[1] == 'Q' then
    local rk = rkey(v[2], v[3])
    redis.call('ZREM', rk, id)
    if redis.call('ZCARD', rk) == 0 then redis.call('ZREM', okey(v[2]), v[3]) end
    forget(id, job)
    n = n + 1
  elseif v[1] == 'W' then
    redis.call('ZREM', P .. 'delayed', id)
    forget(id, job)
    n = n + 1
  elseif v[1] == 'L' then
    redis.call('HSET', skey(id), 'st', 'C')
    n = n + 1
  elseif not v[1] then
    redis.call('SREM', jkey(job), id)
  end
end
return n
