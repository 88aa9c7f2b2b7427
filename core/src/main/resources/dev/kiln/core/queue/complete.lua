-- ARGV: n, then n times (id, attempt, outputKey, outputBytes, records, errors, errorKey, seconds).
-- Accepts only the current attempt of a live lease; returns 1 or 0 per shard.
local n = tonumber(ARGV[1])
local out = {}
local ended = {}
local perProc = {}
for k = 0, n - 1 do
  local o = 2 + k * 8
  local id, attempt = ARGV[o], ARGV[o + 1]
  local v = redis.call('HMGET', skey(id), 'st', 'a', 'p', 'j')
  if (v[1] == 'L' or v[1] == 'C') and v[2] == attempt then
    ended[#ended + 1] = id
    perProc[v[3]] = (perProc[v[3]] or 0) + 1
  end
  if v[1] == 'L' and v[2] == attempt then
    redis.call('HSET', skey(id), 'st', 'F')
    redis.call('XADD', P .. 'events', '*', 't', 'done', 'id', id, 'a', attempt, 'k', ARGV[o + 2],
      'b', ARGV[o + 3], 'r', ARGV[o + 4], 'e', ARGV[o + 5], 'ek', ARGV[o + 6], 's', ARGV[o + 7])
    out[#out + 1] = 1
  else
    if v[1] == 'C' and v[2] == attempt then forget(id, v[4]) end
    out[#out + 1] = 0
  end
end
if #ended > 0 then
  redis.call('ZREM', P .. 'leases', unpack(ended))
  for proc, count in pairs(perProc) do
    if tonumber(redis.call('HINCRBY', P .. 'running', proc, -count)) < 0 then
      redis.call('HSET', P .. 'running', proc, 0)
    end
  end
end
return out
