-- ARGV: n, then n times (streamId, id, attempt). Removes recorded events and their tombstones.
local n = tonumber(ARGV[1])
for k = 0, n - 1 do
  local o = 2 + k * 3
  local id, attempt = ARGV[o + 1], ARGV[o + 2]
  redis.call('XDEL', P .. 'events', ARGV[o])
  local v = redis.call('HMGET', skey(id), 'st', 'a', 'j')
  if v[1] == 'F' and v[2] == attempt then forget(id, v[3]) end
end
return n
