-- Shared helpers, prepended to every work-queue script. KEYS[1] is the key prefix.
-- Shard hash fields: t task JSON, j job, i index, o owner, p processor, sc ready score,
-- m max attempts, s attempts spent, a attempt (fencing token), st state, ag agent, le last error,
-- ev the id of the stream entry that reports a finished attempt.
-- Lease deadlines live in the leases sorted set. w:{processor} is the wake-up list idle agents
-- block on (BLPOP): each token says work for that processor may be ready.
-- States: Q ready, L leased, W waiting out a backoff, C leased but cancelled,
-- F finished (a tombstone until the sink has recorded it in Postgres).
local P = KEYS[1]
local function int(x) return string.format('%.0f', x) end
local function skey(id) return P .. 's:' .. id end
local function rkey(proc, owner) return P .. 'r:' .. proc .. ':' .. owner end
local function okey(proc) return P .. 'o:' .. proc end
local function jkey(job) return P .. 'j:' .. job end

-- An owner with work joins the stride schedule at the smallest pass among active owners. Within
-- one script an owner found or made active stays so (a script that makes many shards ready asks
-- once per owner); a script that removes owners from the schedule does not call this after.
local activeOwners = {}
local function activate(proc, owner)
  local ok = okey(proc)
  local known = ok .. '\0' .. owner
  if activeOwners[known] then return end
  activeOwners[known] = true
  if redis.call('ZSCORE', ok, owner) then return end
  local first = redis.call('ZRANGE', ok, 0, 0, 'WITHSCORES')
  local pass = first[2] or redis.call('GET', P .. 'vt:' .. proc) or '0'
  redis.call('ZADD', ok, pass, owner)
end

-- Wake-ups: one token per shard made ready, at most WAKE_MAX waiting per processor, so however
-- large the job, a script pushes few tokens, and tokens left over when no agent waits cost at most
-- WAKE_MAX empty leases later. An agent that leases and leaves work behind passes a token on.
local WAKE_MAX = 256
local wakeRoom = {}
local function wkey(proc) return P .. 'w:' .. proc end
local function wake(proc, n)
  local room = wakeRoom[proc]
  if room == nil then room = WAKE_MAX - redis.call('LLEN', wkey(proc)) end
  local push = math.min(n, room)
  if push > 0 then
    local tokens = {}
    for t = 1, push do tokens[t] = '1' end
    redis.call('RPUSH', wkey(proc), unpack(tokens))
    room = room - push
  end
  wakeRoom[proc] = room
end

-- Slots freed under a processor's cap wake as many waiting agents when its work waits.
local function freed(proc, n)
  if redis.call('HEXISTS', P .. 'caps', proc) == 1 and redis.call('EXISTS', okey(proc)) == 1 then
    wake(proc, n)
  end
end

local function makeReady(id, proc, owner, score)
  redis.call('ZADD', rkey(proc, owner), score, id)
  activate(proc, owner)
  wake(proc, 1)
end

local function unlease(id, proc)
  redis.call('ZREM', P .. 'leases', id)
  if tonumber(redis.call('HINCRBY', P .. 'running', proc, -1)) < 0 then
    redis.call('HSET', P .. 'running', proc, 0)
  end
  freed(proc, 1)
end

local function forget(id, job)
  redis.call('DEL', skey(id))
  redis.call('SREM', jkey(job), id)
end

local function deadLetter(id, attempt, reason)
  local spent = redis.call('HGET', skey(id), 's') or ''
  local ev = redis.call('XADD', P .. 'events', '*', 't', 'dead', 'id', id, 'a', attempt, 'm', reason,
    'sp', spent)
  redis.call('HSET', skey(id), 'st', 'F', 'ev', ev)
end

local function backoff(id, spent, now, base, cap)
  local delay = math.min(cap, base * math.pow(2, math.max(0, spent - 1)))
  redis.call('HSET', skey(id), 'st', 'W')
  redis.call('ZADD', P .. 'delayed', int(now + delay), id)
end
