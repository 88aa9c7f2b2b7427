-- ARGV: now, limit, backoffBaseMs, backoffCapMs.
-- Expired leases go back to the queue after a backoff, or to the dead letters when their attempts
-- are spent; shards whose backoff is over become ready. Returns {requeued, dead, promoted}.
local now, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local base, cap = tonumber(ARGV[3]), tonumber(ARGV[4])
local requeued, dead, promoted = 0, 0, 0
local expired = redis.call('ZRANGEBYSCORE', P .. 'leases', '-inf', now, 'LIMIT', 0, limit)
for _, id in ipairs(expired) do
  local v = redis.call('HMGET', skey(id), 'st', 'a', 'p', 'j', 's', 'm', 'ag')
  if v[1] == 'L' then
    unlease(id, v[3])
    local spent, max = tonumber(v[5]), tonumber(v[6])
    if spent >= max then
      deadLetter(id, v[2], 'lease expired ' .. spent .. ' of ' .. max .. ' times, last on agent '
        .. tostring(v[7]))
      dead = dead + 1
    else
      redis.call('HSET', skey(id), 'le', 'lease expired on agent ' .. tostring(v[7]))
      backoff(id, spent, now, base, cap)
      requeued = requeued + 1
    end
  elseif v[1] == 'C' then
    unlease(id, v[3])
    forget(id, v[4])
  else
    redis.call('ZREM', P .. 'leases', id)
  end
end
local due = redis.call('ZRANGEBYSCORE', P .. 'delayed', '-inf', now, 'LIMIT', 0, limit)
for _, id in ipairs(due) do
  redis.call('ZREM', P .. 'delayed', id)
  local v = redis.call('HMGET', skey(id), 'st', 'p', 'o', 'sc')
  if v[1] == 'W' then
    redis.call('HSET', skey(id), 'st', 'Q')
    makeReady(id, v[2], v[3], v[4])
    promoted = promoted + 1
  end
end
return {requeued, dead, promoted}
