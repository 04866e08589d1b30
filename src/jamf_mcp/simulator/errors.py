"""Jamf-shaped error answers: ApiError JSON on /api, Tomcat-style HTML status pages on /JSSResource."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException

JSON = "application/json"
HTML = "text/html"

_STATUS_TEXT = {
    400: (
        "Bad Request",
        "The request could not be understood by the server due to malformed syntax",
    ),
    401: ("Unauthorized", "The request requires user authentication"),
    403: ("Forbidden", "The server understood the request, but is refusing to fulfill it"),
    404: ("Not Found", "The server has not found anything matching the request URI"),
    405: (
        "Method Not Allowed",
        "The method specified in the request is not allowed for the resource",
    ),
    409: ("Conflict", "The request could not be completed due to a conflict with the resource"),
    415: ("Unsupported Media Type", "The server is refusing to service the request"),
    500: ("Internal Server Error", "The server encountered an unexpected condition"),
    503: ("Service Unavailable", "The server is currently unable to handle the request"),
}


class JamfHttpError(Exception):
    """Raised by handlers; rendered as an ApiError (Pro API) or an HTML page (Classic API)."""

    def __init__(
        self, status: int, code: str = "", description: str = "", field: str | None = None
    ) -> None:
        super().__init__(f"{status} {code} {description}")
        self.status = status
        self.code = code
        self.description = description
        self.field = field


def json_response(
    content: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response[bytes]:
    """Encode ``content`` with msgspec (fast enough for 2,000-record pages)."""
    return Response(
        content=msgspec.json.encode(content), status_code=status, media_type=JSON, headers=headers
    )


def api_error_body(
    status: int, code: str | None, description: str = "", field: str | None = None
) -> dict[str, Any]:
    """The Jamf Pro API ``ApiError`` envelope; ``code=None`` gives an empty ``errors`` list."""
    errors = (
        []
        if code is None
        else [{"code": code, "description": description, "id": "0", "field": field}]
    )
    return {"httpStatus": status, "errors": errors}


def api_error(
    status: int, code: str | None, description: str = "", field: str | None = None
) -> Response[bytes]:
    """An ApiError JSON response."""
    return json_response(api_error_body(status, code, description, field), status)


def status_page(status: int, detail: str | None = None) -> bytes:
    """The Tomcat/Restlet status page Classic API errors come as."""
    title, explanation = _STATUS_TEXT.get(status, ("Error", "An error occurred"))
    return (
        "<html>\n<head>\n   <title>Status page</title>\n</head>\n"
        '<body style="font-family: sans-serif;">\n'
        f'<p style="font-size: 1.2em;font-weight: bold;margin: 1em 0px;">{title}</p>\n'
        f"<p>{detail or explanation}</p>\n"
        '<p>You can get technical details <a href="http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html">'
        'here</a>.<br>\nPlease continue your visit at our <a href="/">home page</a>.\n</p>\n'
        "</body>\n</html>\n"
    ).encode()


def html_response(status: int, detail: str | None = None) -> Response[bytes]:
    """A Classic-style HTML error response."""
    return Response(content=status_page(status, detail), status_code=status, media_type=HTML)


def is_classic(path: str) -> bool:
    """Classic API paths answer errors in HTML."""
    return path.startswith("/JSSResource")


def handle_jamf_error(request: Request[Any, Any, Any], exc: JamfHttpError) -> Response[bytes]:
    """Exception handler for ``JamfHttpError``."""
    if is_classic(request.url.path):
        detail = exc.description if exc.status in (400, 409) and exc.description else None
        return html_response(exc.status, detail)
    return api_error(exc.status, exc.code or None, exc.description, exc.field)


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    """Framework errors (unknown route, wrong method, bad body) in Jamf's shapes."""
    if is_classic(request.url.path):
        return html_response(exc.status_code)
    code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "INVALID_FIELD")
    return api_error(exc.status_code, code, str(exc.detail))


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """Anything else is a 500, as Jamf's own bugs are."""
    if is_classic(request.url.path):
        return html_response(500)
    return api_error(500, None)
