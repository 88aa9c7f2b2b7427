-- ARGV: now, visibilityMs, max, agent, n, processor x n.
-- Returns one string: for each shard leased, id US attempt US task, separated by RS (US = \31,
-- RS = \30; task JSON escapes both), so the reply is one bulk string however many are leased.
-- Owners are served by stride scheduling: the owner with the smallest pass goes next, and takes
-- as many shards in one pop as it may before another owner's pass is smaller.
if redis.call('EXISTS', P .. 'epoch') == 0 then return '' end
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
while got < max and guard < max + 16 do
  guard = guard + 1
  local bestProc, bestOwner, bestPass, nextPass = nil, nil, nil, nil
  for x = 1, np do
    local p = procs[x]
    if caps[p] < 0 or running[p] < caps[p] then
      local firsts = redis.call('ZRANGE', okey(p), 0, 1, 'WITHSCORES')
      for f = 1, #firsts, 2 do
        local pass = tonumber(firsts[f + 1])
        if bestPass == nil or pass < bestPass then
          if bestPass ~= nil and (nextPass == nil or bestPass < nextPass) then nextPass = bestPass end
          bestProc, bestOwner, bestPass = p, firsts[f], pass
        elseif nextPass == nil or pass < nextPass then
          nextPass = pass
        end
      end
    end
  end
  if not bestProc then break end
  local take = max - got
  if caps[bestProc] >= 0 then take = math.min(take, caps[bestProc] - running[bestProc]) end
  if nextPass ~= nil then take = math.max(1, math.min(take, nextPass - bestPass + 1)) end
  local rk = rkey(bestProc, bestOwner)
  local popped = redis.call('ZPOPMIN', rk, take)
  local count = #popped / 2
  if redis.call('ZCARD', rk) == 0 then
    redis.call('ZREM', okey(bestProc), bestOwner)
    redis.call('SET', P .. 'vt:' .. bestProc, int(bestPass + math.max(count, 1)))
  else
    redis.call('ZINCRBY', okey(bestProc), math.max(count, 1), bestOwner)
  end
  local leased = {}
  for c = 1, #popped, 2 do
    local id = popped[c]
    local key = skey(id)
    local v = redis.call('HMGET', key, 'a', 's', 't', 'st')
    if v[4] == 'Q' then
      local attempt = int(tonumber(v[1]) + 1)
      redis.call('HSET', key, 'a', attempt, 's', tonumber(v[2]) + 1, 'st', 'L', 'ag', agent)
      leased[#leased + 1] = deadline
      leased[#leased + 1] = id
      if got > 0 then out[#out + 1] = '\30' end
      out[#out + 1] = id
      out[#out + 1] = '\31'
      out[#out + 1] = attempt
      out[#out + 1] = '\31'
      out[#out + 1] = v[3]
      got = got + 1
    end
  end
  if #leased > 0 then
    redis.call('ZADD', P .. 'leases', unpack(leased))
    redis.call('HINCRBY', P .. 'running', bestProc, #leased / 2)
    running[bestProc] = running[bestProc] + #leased / 2
  end
end
-- Pass the wake-up on: work left behind for a processor with room under its cap wakes one more
-- waiting agent, which passes it on in turn, so every idle agent is reached however few tokens
-- the enqueue pushed.
if got > 0 then
  for x = 1, np do
    local p = procs[x]
    if (caps[p] < 0 or running[p] < caps[p]) and redis.call('EXISTS', okey(p)) == 1
        and redis.call('LLEN', wkey(p)) == 0 then
      redis.call('RPUSH', wkey(p), '1')
    end
  end
end
return table.concat(out)
