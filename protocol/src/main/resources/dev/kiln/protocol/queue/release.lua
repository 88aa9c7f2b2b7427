-- ARGV: id, attempt. Gives a leased shard back to the front of its queue without spending an attempt.
local id, attempt = ARGV[1], ARGV[2]
local v = redis.call('HMGET', skey(id), 'st', 'a', 'p', 'j', 's', 'o', 'sc')
if v[2] ~= attempt then return 0 end
if v[1] == 'C' then
  unlease(id, v[3])
  forget(id, v[4])
  return 0
end
if v[1] ~= 'L' then return 0 end
unlease(id, v[3])
redis.call('HSET', skey(id), 'st', 'Q', 's', math.max(0, tonumber(v[5]) - 1))
makeReady(id, v[3], v[6], v[7])
return 1
