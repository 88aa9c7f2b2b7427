-- ARGV: agent. Every lease the agent holds goes back to the front of its queue at once (the agent
-- is known dead) with its attempt number raised, so a late completion or heartbeat of the dead
-- agent's attempt is refused; a shard whose attempts are spent is dead-lettered, as an expired
-- lease would be. Its cancelled leases are forgotten. Answers how many leases it ended.
local agent = ARGV[1]
local n = 0
for _, id in ipairs(redis.call('ZRANGE', P .. 'leases', 0, -1)) do
  local v = redis.call('HMGET', skey(id), 'st', 'a', 'p', 'j', 'o', 'sc', 'ag', 's', 'm')
  if v[7] == agent then
    if v[1] == 'L' and tonumber(v[8]) >= tonumber(v[9]) then
      unlease(id, v[3])
      deadLetter(id, v[2], 'agent ' .. agent .. ' died on attempt ' .. v[8] .. ' of ' .. v[9])
      n = n + 1
    elseif v[1] == 'L' then
      unlease(id, v[3])
      redis.call('HSET', skey(id), 'st', 'Q', 'a', int(tonumber(v[2]) + 1), 'le',
        'agent ' .. agent .. ' died')
      redis.call('HDEL', skey(id), 'ag')
      makeReady(id, v[3], v[5], v[6])
      n = n + 1
    elseif v[1] == 'C' then
      unlease(id, v[3])
      forget(id, v[4])
    end
  end
end
return n
