-- ARGV: s, then s stream ids, then (id, attempt) of every finished attempt in those entries.
-- Removes recorded entries and the tombstones of their shards.
local s = tonumber(ARGV[1])
local keys, perJob = {}, {}
for o = 2 + s, #ARGV, 2 do
  local id, attempt = ARGV[o], ARGV[o + 1]
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
for from = 2, 1 + s, 1000 do
  redis.call('XDEL', P .. 'events', unpack(ARGV, from, math.min(1 + s, from + 999)))
end
for from = 1, #keys, 1000 do
  redis.call('DEL', unpack(keys, from, math.min(#keys, from + 999)))
end
for job, members in pairs(perJob) do
  for from = 1, #members, 1000 do
    redis.call('SREM', jkey(job), unpack(members, from, math.min(#members, from + 999)))
  end
end
return s
