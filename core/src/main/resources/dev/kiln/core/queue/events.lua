-- ARGV: max. Returns the oldest unrecorded events flattened: (streamId, fieldCount, f1, v1, ...).
local out = {}
for _, e in ipairs(redis.call('XRANGE', P .. 'events', '-', '+', 'COUNT', tonumber(ARGV[1]))) do
  out[#out + 1] = e[1]
  out[#out + 1] = #e[2]
  for _, x in ipairs(e[2]) do out[#out + 1] = x end
end
return out
