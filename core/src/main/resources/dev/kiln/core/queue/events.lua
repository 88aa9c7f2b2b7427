-- ARGV: max, after (a stream id, or '-' for the oldest). Returns the unrecorded events after it,
-- flattened: (streamId, fieldCount, f1, v1, ...).
local from = ARGV[2] == '-' and '-' or ('(' .. ARGV[2])
local out = {}
for _, e in ipairs(redis.call('XRANGE', P .. 'events', from, '+', 'COUNT', tonumber(ARGV[1]))) do
  out[#out + 1] = e[1]
  out[#out + 1] = #e[2]
  for _, x in ipairs(e[2]) do out[#out + 1] = x end
end
return out
