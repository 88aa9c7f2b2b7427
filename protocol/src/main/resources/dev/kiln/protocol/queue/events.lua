-- ARGV: max, after (a stream id, or '-' for the oldest). Returns the unrecorded entries after it,
-- flattened: (streamId, fieldCount, f1, v1, ...), whole entries until they hold at least max
-- finished attempts (an entry of completions holds n of them, any other entry one).
local from = ARGV[2] == '-' and '-' or ('(' .. ARGV[2])
local max = tonumber(ARGV[1])
local out = {}
local held = 0
while held < max do
  local entries = redis.call('XRANGE', P .. 'events', from, '+', 'COUNT', math.min(max - held, 100))
  if #entries == 0 then break end
  for _, e in ipairs(entries) do
    out[#out + 1] = e[1]
    out[#out + 1] = #e[2]
    local count = 1
    for f = 1, #e[2], 2 do
      out[#out + 1] = e[2][f]
      out[#out + 1] = e[2][f + 1]
      if e[2][f] == 'n' then count = tonumber(e[2][f + 1]) end
    end
    held = held + count
    from = '(' .. e[1]
    if held >= max then break end
  end
end
return out
