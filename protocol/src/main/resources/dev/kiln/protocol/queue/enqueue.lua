-- ARGV: n, then n times (id, job, idx, owner, processor, priority, maxAttempts, recordedAttempt, task).
-- Returns how many shards were added, or -1 when the epoch key is missing (rebuild first).
local epoch = redis.call('GET', P .. 'epoch')
if not epoch then return -1 end
local base = tonumber(epoch) * 100000
local n = tonumber(ARGV[1])
local seq = tonumber(redis.call('INCRBY', P .. 'seq', n)) - n
local added = 0
local procsNamed = {}
for k = 0, n - 1 do
  local o = 2 + k * 9
  local id, job, idx, owner, proc = ARGV[o], ARGV[o + 1], ARGV[o + 2], ARGV[o + 3], ARGV[o + 4]
  local key = skey(id)
  local st = redis.call('HGET', key, 'st')
  if not st then
    local prio = math.max(-999, math.min(999, tonumber(ARGV[o + 5])))
    local score = int((1000 - prio) * 1099511627776 + seq + k)
    local attempt = int(math.max(base, tonumber(ARGV[o + 7])))
    redis.call('HSET', key, 't', ARGV[o + 8], 'j', job, 'i', idx, 'o', owner, 'p', proc,
      'sc', score, 'm', ARGV[o + 6], 's', 0, 'a', attempt, 'st', 'Q')
    redis.call('SADD', jkey(job), id)
    if not procsNamed[proc] then
      redis.call('SADD', P .. 'procs', proc)
      procsNamed[proc] = true
    end
    makeReady(id, proc, owner, score)
    added = added + 1
  elseif st == 'C' then
    -- Re-queued while a cancelled lease still runs: let that lease count again.
    redis.call('HSET', key, 'st', 'L')
    added = added + 1
  end
end
return added
