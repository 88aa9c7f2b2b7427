-- ARGV: now, leaseMs, then the ids of shards Postgres counts as waiting for work.
-- Puts back what holds each in the queue when only that was lost: a ready shard's ready-set entry
-- (and its owner's place in the schedule), a leased shard's deadline (now + leaseMs, so a lease
-- that is running now is not run again), a backed-off shard's delay. A finished tombstone whose
-- stream entry is gone (its completion can no longer be recorded) is made ready again without
-- spending an attempt: its next lease raises the attempt, so the lost one can never count.
-- Answers one word per id: 'missing' (no shard hash: re-enqueue it), 'ok', or what it put back
-- ('ready', 'lease', 'delay', 'rerun').
local now, leaseMs = tonumber(ARGV[1]), tonumber(ARGV[2])
local out = {}
for k = 3, #ARGV do
  local id = ARGV[k]
  local v = redis.call('HMGET', skey(id), 'st', 'p', 'o', 'sc', 'j', 's', 'ev')
  local word = 'ok'
  if not v[1] then
    word = 'missing'
  else
    redis.call('SADD', jkey(v[5]), id)
    if v[1] == 'Q' then
      if not redis.call('ZSCORE', rkey(v[2], v[3]), id) then
        makeReady(id, v[2], v[3], v[4])
        word = 'ready'
      elseif not redis.call('ZSCORE', okey(v[2]), v[3]) then
        activate(v[2], v[3])
        word = 'ready'
      end
    elseif v[1] == 'L' or v[1] == 'C' then
      if not redis.call('ZSCORE', P .. 'leases', id) then
        redis.call('ZADD', P .. 'leases', int(now + leaseMs), id)
        word = 'lease'
      end
    elseif v[1] == 'W' then
      if not redis.call('ZSCORE', P .. 'delayed', id) then
        redis.call('ZADD', P .. 'delayed', int(now), id)
        word = 'delay'
      end
    elseif v[1] == 'F' then
      if not v[7] or #redis.call('XRANGE', P .. 'events', v[7], v[7]) == 0 then
        redis.call('HDEL', skey(id), 'ev')
        redis.call('HSET', skey(id), 'st', 'Q', 's', math.max(0, tonumber(v[6] or '1') - 1))
        makeReady(id, v[2], v[3], v[4])
        word = 'rerun'
      end
    end
  end
  out[#out + 1] = word
end
return out
