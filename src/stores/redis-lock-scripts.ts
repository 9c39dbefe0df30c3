/**
 * The Redis ticket lock as Lua scripts. Each runs atomically inside Redis, which is what makes
 * the lock race-free across servers: Rasa's open-source RedisLockStore reads the lock JSON, edits
 * it in Python and writes it back, so two servers can issue the same ticket (RasaHQ/rasa#9213).
 *
 * Per conversation (KEYS in every script, in this order):
 *   1. last   — INCR counter: the last ticket number issued
 *   2. queue  — sorted set of waiting/holding tickets, scored by ticket number (lowest is served)
 *   3. alive  — hash ticket → deadline (Redis server time, ms); a ticket past its deadline is dead
 * A live owner pushes its deadline forward (holders every lifetime/3, waiters on every poll), so
 * only a crashed or stalled instance's tickets die. All three keys expire together when nobody
 * touches them for two lifetimes, so nothing is left behind.
 * Deadlines use Redis's clock, never the instances' clocks, so clock skew between servers is harmless.
 */

const PRELUDE = `
local function server_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function touch(lifetime)
  for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], lifetime * 2) end
end
`;

/** ARGV: lifetime ms. Returns the new ticket number. */
export const ISSUE_TICKET = `${PRELUDE}
local lifetime = tonumber(ARGV[1])
local ticket = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], ticket, ticket)
redis.call('HSET', KEYS[3], ticket, server_ms() + lifetime)
touch(lifetime)
return ticket
`;

/**
 * ARGV: ticket, lifetime ms, release channel, conversation id.
 * Drops dead tickets ahead of ours, renews ours, and returns how many live tickets are ahead
 * (0: ours is served now), or -1 when our ticket is gone.
 */
export const TRY_ACQUIRE = `${PRELUDE}
local ticket = ARGV[1]
local lifetime = tonumber(ARGV[2])
if not redis.call('ZSCORE', KEYS[2], ticket) then return -1 end
local now = server_ms()
local dropped = 0
while true do
  local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if head == ticket then break end
  local deadline = tonumber(redis.call('HGET', KEYS[3], head) or '0')
  if deadline > now then break end
  redis.call('ZREM', KEYS[2], head)
  redis.call('HDEL', KEYS[3], head)
  dropped = dropped + 1
end
redis.call('HSET', KEYS[3], ticket, now + lifetime)
touch(lifetime)
if dropped > 0 then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
return redis.call('ZRANK', KEYS[2], ticket)
`;

/** ARGV: ticket, lifetime ms. Returns 1 when renewed, 0 when the ticket is gone. */
export const RENEW_TICKET = `${PRELUDE}
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
local lifetime = tonumber(ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], server_ms() + lifetime)
touch(lifetime)
return 1
`;

/**
 * ARGV: ticket, release channel, conversation id. Frees the ticket and wakes the next waiter.
 * The counter is left to expire rather than deleted, so ticket numbers only grow while a
 * conversation is active (Redis drops the emptied set and hash by itself).
 */
export const RELEASE_TICKET = `
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if redis.call('ZCARD', KEYS[2]) > 0 then
  redis.call('PUBLISH', ARGV[2], ARGV[3])
end
return 1
`;
