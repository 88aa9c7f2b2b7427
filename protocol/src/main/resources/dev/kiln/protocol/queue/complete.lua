-- ARGV: n, then n times (id, attempt, result), result being
-- outputBytes US records US errors US seconds US outputKey US errorKey US newlines (US = \31).
-- Accepts only the current attempt of a live lease; returns 1 or 0 per shard. The accepted
-- completions of one call go to the event stream as one entry: field c holds them separated by
-- \30, each as id US attempt US result; field n counts them. Each accepted shard's tombstone keeps
-- the entry's id in field ev, so that an entry lost before it was recorded can be noticed.
local n = tonumber(ARGV[1])
local out = {}
local ended = {}
local perProc = {}
local accepted = {}
local acceptedIds = {}
local seen = {}
for k = 0, n - 1 do
  local o = 2 + k * 3
  local id, attempt = ARGV[o], ARGV[o + 1]
  local v = redis.call('HMGET', skey(id), 'st', 'a', 'p', 'j')
  -- The tombstone is written once the stream entry exists (one HSET per shard): a shard named
  -- twice in one call counts once.
  if seen[id] then v[1] = 'F' end
  seen[id] = true
  if (v[1] == 'L' or v[1] == 'C') and v[2] == attempt then
    ended[#ended + 1] = id
    perProc[v[3]] = (perProc[v[3]] or 0) + 1
  end
  if v[1] == 'L' and v[2] == attempt then
    accepted[#accepted + 1] = id .. '\31' .. attempt .. '\31' .. ARGV[o + 2]
    acceptedIds[#acceptedIds + 1] = id
    out[#out + 1] = 1
  else
    if v[1] == 'C' and v[2] == attempt then forget(id, v[4]) end
    out[#out + 1] = 0
  end
end
if #accepted > 0 then
  local ev = redis.call('XADD', P .. 'events', '*', 'n', #accepted, 'c', table.concat(accepted, '\30'))
  for _, id in ipairs(acceptedIds) do redis.call('HSET', skey(id), 'st', 'F', 'ev', ev) end
end
if #ended > 0 then
  redis.call('ZREM', P .. 'leases', unpack(ended))
  for proc, count in pairs(perProc) do
    if tonumber(redis.call('HINCRBY', P .. 'running', proc, -count)) < 0 then
      redis.call('HSET', P .. 'running', proc, 0)
    end
    freed(proc, count)
  end
end
return out
