"""Scripts that take effect once per call, however often the client sends them.

The client sends a command again when the connection drops before its reply arrives (and the
cluster client also after a timeout): the first send may have run. `OnceScript` gives every call
a fresh request id and a result key beside the script's first key (`<first key>:once:<id>`, so
in the same slot of a cluster); the wrapped script returns the stored result when that key
exists, and otherwise runs and stores its result there for `RESULT_SECONDS`. So a replay answers
what the first run answered and changes nothing. If even the retry fails, the outcome is unknown
and the caller is told so (`StateUnavailable`, "outcome unknown").

A script's result is kept with `cmsgpack`, which round-trips every Lua value a script can return
(numbers, byte strings, booleans, nested tables). Scripts are wrapped as the body of a Lua
function, so `return` works as usual; the id and the result key come after the caller's KEYS and
ARGV, so the body's numbering is unchanged.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from redis.commands.core import AsyncScript

from jamf_mcp.adapters.redis.connection import RedisClient, reaching_redis
from jamf_mcp.domain.errors import StateUnavailable

RESULT_SECONDS = 30
"""How long a result is kept for a replay: the client's one retry comes within a few seconds
(twice the 2 s connect and reply timeouts, plus a cluster's layout refresh), well inside it."""

Arg = bytes | str | int | float


def once(body: str) -> str:
    """The Lua of `body` made idempotent per request (the last KEYS entry is the result key)."""
    return f"""
local function body()
{body}
end
local done = KEYS[#KEYS]
local kept = redis.call('GET', done)
if kept then return cmsgpack.unpack(kept) end
local result = body()
redis.call('SET', done, cmsgpack.pack(result), 'PX', ARGV[#ARGV])
return result
"""


def new_request_id() -> str:
    """A fresh request id (128 random bits, hex)."""
    return secrets.token_hex(16)


class OnceScript:
    """A registered script that runs at most once per call, with the result of that run.

    Args:
        redis: the shared client.
        body: the script; its first key anchors the result key (keep every key in its slot).
    """

    def __init__(self, redis: RedisClient, body: str) -> None:
        self._script: AsyncScript = redis.register_script(once(body))

    async def __call__(self, keys: Sequence[str], args: Sequence[Arg] = ()) -> Any:
        """Run the script once for this call; its result (a replay's is the first run's).

        Raises:
            StateUnavailable: Redis could not be reached, even by the client's retry; the
                script may or may not have run ("outcome unknown").
        """
        done = f"{keys[0]}:once:{new_request_id()}"
        try:
            with reaching_redis():
                return await self._script(keys=[*keys, done], args=[*args, RESULT_SECONDS * 1000])
        except StateUnavailable as error:
            cause = error.__cause__
            raise StateUnavailable(f"redis: {type(cause).__name__}; outcome unknown") from cause


TAKE = "return redis.call('GETDEL', KEYS[1])"
"""KEYS[1] a string: remove and return it (for `OnceScript`: a replay returns it again, where a
bare `GETDEL` sent twice would answer "gone" — a sign-in lost to a dropped connection)."""
