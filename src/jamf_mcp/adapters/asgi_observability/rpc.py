"""What a POSTed JSON-RPC message is, for labels: its method and, for `tools/call`, the tool.

Reads only the body bytes the application itself received; nothing is parsed before the
application has accepted the request, and only `method` and `params.name` are decoded.
"""

from __future__ import annotations

import msgspec

MAX_NAME = 64


class _Params(msgspec.Struct):
    name: object = None


class _Message(msgspec.Struct):
    method: object = None
    params: msgspec.Raw = msgspec.Raw(b"null")
    result: msgspec.Raw = msgspec.Raw()  # empty when absent
    error: msgspec.Raw = msgspec.Raw()


_message_decoder = msgspec.json.Decoder(_Message)
_params_decoder = msgspec.json.Decoder(_Params)


def rpc_labels(body: bytes) -> tuple[str, str]:
    """`(rpc_method, tool)` of one JSON-RPC message; `("invalid", "")` when it is not one.

    A client's answer to a server request (`result` or `error`, no `method`) is `response`.
    Values are raw (bounded later by the metrics); names longer than 64 characters are cut.
    """
    try:
        message = _message_decoder.decode(body)
    except (msgspec.DecodeError, RecursionError):
        return "invalid", ""
    method = message.method
    if not isinstance(method, str):
        has_answer = len(message.result) > 0 or len(message.error) > 0
        return ("response" if has_answer else "invalid"), ""
    tool = ""
    if method == "tools/call":
        try:
            name = _params_decoder.decode(message.params).name
        except (msgspec.DecodeError, RecursionError):
            name = None
        tool = name[:MAX_NAME] if isinstance(name, str) else ""
    return method[:MAX_NAME], tool
