-- ARGV: ids of shards Postgres no longer counts as waiting (done, dead, cancelled, or unknown).
-- A ready or backed-off shard leaves Redis; a leased one is flagged cancelled, so its agent's next
-- heartbeat stops it and its lease is forgotten when it ends or expires. Finished tombstones stay
-- for the completion sink while their stream entry is there; one whose entry is gone leaves Redis.
-- Answers, per id, 1 when it dropped or flagged it, else 0.
local out = {}
for k = 1, #ARGV do
  local id = ARGV[k]
  local v = redis.call('HMGET', skey(id), 'st', 'p', 'o', 'j', 'ev')
  local dropped = 0
  if v[1] == 'Q' then
    local rk = rkey(v[2], v[3])
    redis.call('ZREM', rk, id)
    if redis.call('ZCARD', rk) == 0 then redis.call('ZREM', okey(v[2]), v[3]) end
    forget(id, v[4])
    dropped = 1
  elseif v[1] == 'W' then
    redis.call('ZREM', P .. 'delayed', id)
    forget(id, v[4])
    dropped = 1
  elseif v[1] == 'L' then
    redis.call('HSET', skey(id), 'st', 'C')
    dropped = 1
  elseif v[1] == 'F' then
    if not v[5] or #redis.call('XRANGE', P .. 'events', v[5], v[5]) == 0 then
      forget(id, v[4])
      dropped = 1
    end
  elseif v[1] == nil then
    dropped = 0
  end
  out[#out + 1] = dropped
end
return out
