-- Returns, as one JSON text, each processor's concurrency cap (-1: none) and each owner's shards
-- queued (ready or backing off) and leased: {"<processor>": {"cap": n, "owners": {"<owner>":
-- [queued, leased]}}}. Read-only; it walks the ready sets, the leases and the delayed set.
local out = {}
local function entry(proc)
  local e = out[proc]
  if not e then
    e = {cap = tonumber(redis.call('HGET', P .. 'caps', proc) or '-1'), owners = {}}
    out[proc] = e
  end
  return e
end
local function count(proc, owner, slot)
  local owners = entry(proc).owners
  local c = owners[owner]
  if not c then
    c = {0, 0}
    owners[owner] = c
  end
  c[slot] = c[slot] + 1
end
for _, p in ipairs(redis.call('SMEMBERS', P .. 'procs')) do
  local e = entry(p)
  for _, owner in ipairs(redis.call('ZRANGE', okey(p), 0, -1)) do
    local n = redis.call('ZCARD', rkey(p, owner))
    if n > 0 then
      local c = e.owners[owner] or {0, 0}
      c[1] = c[1] + n
      e.owners[owner] = c
    end
  end
end
for _, id in ipairs(redis.call('ZRANGE', P .. 'leases', 0, -1)) do
  local v = redis.call('HMGET', skey(id), 'st', 'p', 'o')
  if (v[1] == 'L' or v[1] == 'C') and v[2] and v[3] then count(v[2], v[3], 2) end
end
for _, id in ipairs(redis.call('ZRANGE', P .. 'delayed', 0, -1)) do
  local v = redis.call('HMGET', skey(id), 'st', 'p', 'o')
  if v[1] == 'W' and v[2] and v[3] then count(v[2], v[3], 1) end
end
for _, e in pairs(out) do
  if next(e.owners) == nil then e.owners = nil end
end
return cjson.encode(out)
