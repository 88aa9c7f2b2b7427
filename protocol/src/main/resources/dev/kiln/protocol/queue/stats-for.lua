-- Returns {ready, leased, delayed} of the shards of some processors: ARGV[1] is 'only' (the
-- processors listed after it) or 'except' (every processor but those).
local listed = {}
for i = 2, #ARGV do listed[ARGV[i]] = true end
local only = ARGV[1] == 'only'
local function counts(p) return (listed[p] == true) == only end
local ready, leased, delayed = 0, 0, 0
for _, p in ipairs(redis.call('SMEMBERS', P .. 'procs')) do
  if counts(p) then
    for _, owner in ipairs(redis.call('ZRANGE', okey(p), 0, -1)) do
      ready = ready + redis.call('ZCARD', rkey(p, owner))
    end
  end
end
local running = redis.call('HGETALL', P .. 'running')
for i = 1, #running, 2 do
  if counts(running[i]) then leased = leased + math.max(0, tonumber(running[i + 1])) end
end
for _, id in ipairs(redis.call('ZRANGE', P .. 'delayed', 0, -1)) do
  local p = redis.call('HGET', skey(id), 'p')
  if p and counts(p) then delayed = delayed + 1 end
end
return {ready, leased, delayed}
