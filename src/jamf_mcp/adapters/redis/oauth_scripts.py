"""The Lua scripts behind `RedisOAuthStateStore`: each step that must be atomic is one script.

Times are milliseconds since the epoch by the calling replica's clock (the same clock that sets
the records' own `expires_at`). Some keys are named from records or ARGV (a family's tokens, a
client that makes room): on a cluster they are in the slot of the declared keys because the whole
group shares one anchor (`oauth` for refresh tokens and families, `oauth:client` for clients).
The takes run through `OnceScript`; the others are idempotent as they are (each says why).
"""

from __future__ import annotations

# KEYS: code, spent marker; ARGV: marker ttl (ms). Take the code, leave the marker. Once per call.
TAKE_CODE = """
local found = redis.call('HMGET', KEYS[1], 'r', 'f')
if not found[1] then return false end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], found[2], 'PX', ARGV[1])
return found[1]
"""

# KEYS: token, family set, family's revocation, subject's families, client's families;
# ARGV: record, family id, family part, ttl (ms), token digest, token end (ms), now (ms).
# A revoked family gets no new tokens; the family set outlives its longest token; the subject and
# client indexes remember the family (scored by its latest token's end) and forget ended ones.
# Idempotent: a replay writes the same record, member and scores again.
SAVE_REFRESH = """
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'r', ARGV[1], 'f', ARGV[2], 'fk', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('SADD', KEYS[2], ARGV[5])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
for i = 4, 5 do
  local old = redis.call('ZSCORE', KEYS[i], ARGV[2])
  if (not old) or tonumber(old) < tonumber(ARGV[6]) then
    redis.call('ZADD', KEYS[i], ARGV[6], ARGV[2])
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[7])
  if redis.call('PTTL', KEYS[i]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[i], ARGV[4]) end
end
return 1
"""

# KEYS: token; ARGV: revocation key prefix. The record, unless the family was revoked.
PEEK_REFRESH = """
local found = redis.call('HMGET', KEYS[1], 'r', 'fk')
if not found[1] then return false end
if redis.call('EXISTS', ARGV[1] .. found[2]) == 1 then return false end
return found[1]
"""

# KEYS: token, spent marker; ARGV: family-set key prefix, revocation key prefix, token digest.
# Take the token, leave a marker for the rest of its lifetime; a revoked family's token is spent
# but not returned. Once per call.
TAKE_REFRESH = """
local found = redis.call('HMGET', KEYS[1], 'r', 'f', 'fk')
if not found[1] then return false end
local ttl = redis.call('PTTL', KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('SREM', ARGV[1] .. found[3], ARGV[3])
if ttl > 0 then redis.call('SET', KEYS[2], found[2], 'PX', ttl) end
if redis.call('EXISTS', ARGV[2] .. found[3]) == 1 then return false end
return found[1]
"""

# KEYS: family set, family's revocation; ARGV: token key prefix, revocation ttl (ms). Idempotent.
REVOKE_FAMILY = """
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
local tokens = redis.call('SMEMBERS', KEYS[1])
for _, token in ipairs(tokens) do redis.call('DEL', ARGV[1] .. token) end
redis.call('DEL', KEYS[1])
return #tokens
"""

# KEYS: clients by lease, the client; ARGV: record, member, now, in use until, idle (ms),
# capacity, client key prefix. Clients idle past their lease are forgotten; when full, the one
# whose lease ended longest ago makes room, but a client still in use never does (returns 0).
# Idempotent: a replay finds the client kept and changes nothing more.
SAVE_CLIENT = """
local now, idle = tonumber(ARGV[3]), tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - idle)
if (not redis.call('ZSCORE', KEYS[1], ARGV[2]))
    and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[6]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if tonumber(oldest[2]) > now then return 0 end
  redis.call('DEL', ARGV[7] .. oldest[1])
  redis.call('ZREM', KEYS[1], oldest[1])
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', math.max(1, tonumber(ARGV[4]) + idle - now))
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[2])
return 1
"""

# KEYS: clients by lease, the client; ARGV: member, now, in use until, idle (ms).
# Extend (never shorten) a kept client's lease. Idempotent.
CLIENT_IN_USE = """
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
local old = redis.call('ZSCORE', KEYS[1], ARGV[1])
if old and tonumber(old) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
local ttl = tonumber(ARGV[3]) + tonumber(ARGV[4]) - tonumber(ARGV[2])
redis.call('PEXPIRE', KEYS[2], math.max(1, ttl))
return 1
"""
