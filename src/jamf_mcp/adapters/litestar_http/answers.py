"""`Answer`s (the raw endpoints' HTTP answers) as Litestar responses, so an error reads the same
whichever serves it."""

from __future__ import annotations

from litestar import Response

from jamf_mcp.adapters.asgi_mcp.asgi_exchange import Answer


def litestar_response(answer: Answer) -> Response[bytes]:
    """The same answer as a Litestar response."""
    return Response(
        answer.body,
        status_code=answer.status,
        media_type=answer.media_type,
        headers=dict(answer.headers),
    )
