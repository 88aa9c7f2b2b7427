-- ARGV: now, id, attempt, error, retryable (1/0), backoffBaseMs, backoffCapMs.
local now, id, attempt, err = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4]
local v = redis.call('HMGET', skey(id), 'st', 'a', 'p', 'j', 's', 'm')
if v[2] ~= attempt then return 0 end
if v[1] == 'C' then
  unlease(id, v[3])
  forget(id, v[4])
  return 0
end
if v[1] ~= 'L' then return 0 end
unlease(id, v[3])
local spent, max = tonumber(v[5]), tonumber(v[6])
if ARGV[5] ~= '1' then
  deadLetter(id, attempt, err)
elseif spent >= max then
  deadLetter(id, attempt, 'failed ' .. spent .. ' of ' .. max .. ' attempts, last: ' .. err)
else
  redis.call('HSET', skey(id), 'le', err)
  backoff(id, spent, now, tonumber(ARGV[6]), tonumber(ARGV[7]))
end
return 1
