-- ARGV: epoch. Sets the epoch key if it is missing; returns the epoch in force.
if redis.call('SET', P .. 'epoch', ARGV[1], 'NX') then return tonumber(ARGV[1]) end
return tonumber(redis.call('GET', P .. 'epoch'))
