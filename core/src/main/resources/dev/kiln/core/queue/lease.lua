-- ARGV: now, visibilityMs, max, agent, n, processor x n.
-- Returns a flat list of (id, attempt, task) for each shard leased.
if redis.call('EXISTS', P .. 'epoch') == 0 then return {} end
local now, vis, max, agent = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local np = tonumber(ARGV[5])
local procs, caps, running = {}, {}, {}
for x = 1, np do
  local p = ARGV[5 + x]
  procs[x] = p
  caps[p] = tonumber(redis.call('HGET', P .. 'caps', p) or '-1')
  running[p] = tonumber(redis.call('HGET', P .. 'running', p) or '0')
end
local deadline = int(now + vis)
local out = {}
local got = 0
local guard = 0
while got < max and guard < max * 4 + 16 do
  guard = guard + 1
  local bestProc, bestOwner, bestPass = nil, nil, nil
  for x = 1, np do
    local p = procs[x]
    if caps[p] < 0 or running[p] < caps[p] then
      local first = redis.call('ZRANGE', okey(p), 0, 0, 'WITHSCORES')
      if first[1] then
        local pass = tonumber(first[2])
        if bestPass == nil or pass < bestPass then
          bestProc, bestOwner, bestPass = p, first[1], pass
        end
      end
    end
  end
  if not bestProc then break end
  local rk = rkey(bestProc, bestOwner)
  local popped = redis.call('ZPOPMIN', rk)
  if redis.call('ZCARD', rk) == 0 then
    redis.call('ZREM', okey(bestProc), bestOwner)
    redis.call('SET', P .. 'vt:' .. bestProc, int(bestPass + 1))
  else
    redis.call('ZINCRBY', okey(bestProc), 1, bestOwner)
  end
  if popped[1] then
    local id = popped[1]
    local key = skey(id)
    local v = redis.call('HMGET', key, 'a', 's', 't', 'st')
    if v[4] == 'Q' then
      local attempt = int(tonumber(v[1]) + 1)
      redis.call('HSET', key, 'a', attempt, 's', tonumber(v[2]) + 1, 'st', 'L', 'ag', agent,
        'dl', deadline)
      redis.call('ZADD', P .. 'leases', deadline, id)
      redis.call('HINCRBY', P .. 'running', bestProc, 1)
      running[bestProc] = running[bestProc] + 1
      out[#out + 1] = id
      out[#out + 1] = attempt
      out[#out + 1] = v[3]
      got = got + 1
    end
  end
end
return out
