-- ARGV: n, then n times (streamId, id, attempt). Removes recorded events and their tombstones.
local n = tonumber(ARGV[1])
local streamIds, keys, perJob = {}, {}, {}
for k = 0, n - 1 do
  local o = 2 + k * 3
  local id, attempt = ARGV[o + 1], ARGV[o + 2]
  streamIds[#streamIds + 1] = ARGV[o]
  local v = redis.call('HMGET', skey(id), 'st', 'a', 'j')
  if v[1] == 'F' and v[2] == attempt then
    keys[#keys + 1] = skey(id)
    local members = perJob[v[3]]
    if not members then
      members = {}
      perJob[v[3]] = members
    end
    members[#members + 1] = id
  end
end
for from = 1, #streamIds, 1000 do
  redis.call('XDEL', P .. 'events', unpack(streamIds, from, math.min(#streamIds, from + 999)))
end
for from = 1, #keys, 1000 do
  redis.call('DEL', unpack(keys, from, math.min(#keys, from + 999)))
end
for job, members in pairs(perJob) do
  for from = 1, #members, 1000 do
    redis.call('SREM', jkey(job), unpack(members, from, math.min(#members, from + 999)))
  end
end
return n
