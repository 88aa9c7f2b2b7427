-- ARGV: now, visibilityMs, agent, n, then n times (id, attempt).
-- Extends the agent's current leases; returns (id, attempt) of those the agent must stop.
local now, vis, agent, n = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local deadline = int(now + vis)
local out = {}
for k = 0, n - 1 do
  local id, attempt = ARGV[5 + k * 2], ARGV[6 + k * 2]
  local v = redis.call('HMGET', skey(id), 'st', 'a', 'ag')
  if v[1] == 'L' and v[2] == attempt and v[3] == agent then
    redis.call('ZADD', P .. 'leases', 'XX', deadline, id)
  else
    out[#out + 1] = id
    out[#out + 1] = attempt
  end
end
return out
