"""Jamf's own API documents as the contract: requests and responses checked with openapi-core.

The Jamf Pro API is checked against its OpenAPI document (the server version's: 11.30.1 for
11.30 and later, 11.23.2 before): the operation (method + path), path and query parameters
(`section` enums and the `sort`/`filter` field allow-lists, which Jamf states in each parameter's
description as "Fields allowed in the query/sort"), and the request body; 2xx responses against
the response model, errors against the `ApiError` shape. The Classic API's swagger (2.0, which
openapi-core does not read) is checked for the operation only; its XML bodies follow Jamf's
reference pages, quoted where they are checked.
"""

from __future__ import annotations

import copy
import json
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import attrs
import httpx
import yaml
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

DOCS = Path(__file__).parent / "jamf_openapi"
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_SELECTOR = re.compile(
    r"([A-Za-z_][A-Za-z0-9_.\-]*)\s*(?:==|!=|=lt=|=le=|=gt=|=ge=|=in=|=out=|<=|>=|<|>)"
)
_ALLOWED = re.compile(r"Fields allowed in the (query|sort):(.*?)(?:\n\n|This param|Example)", re.S)
_TOKEN_PATHS = {"/api/oauth/token"}
"""Jamf's docs use this path; the schema declares `/api/v1/oauth/token` (reference §1.1)."""


@cache
def pro_api_document(version: str) -> dict[str, Any]:
    """The Jamf Pro API document for a server version string such as `11.30.1-t…`."""
    name = "11.30.1" if _minor(version) >= (11, 30) else "11.23.2"
    document: dict[str, Any] = json.loads((DOCS / f"jamf-pro-api-{name}.json").read_text())
    return document


@cache
def _pro_api(version: str) -> OpenAPI:
    return OpenAPI.from_dict(pro_api_document(version), config=Config(spec_validator_cls=None))


@cache
def _pro_api_answers(version: str) -> OpenAPI:
    """The document for checking answers, with every typed schema nullable.

    Jamf's schema declares fields not nullable that real Jamf answers with null: every
    unrequested inventory section ("unrequested sections are `null`", reference §2.4, from a
    real `/api/v1/computers-inventory` answer), unset strings such as `assetTag`, and ApiError's
    `field` ("declared required but real bodies send `null`", §7.1). Types, enums, formats and
    structure of every non-null value are still checked.
    """
    document = copy.deepcopy(pro_api_document(version))
    _nullable(document["components"])
    return OpenAPI.from_dict(document, config=Config(spec_validator_cls=None))


def _nullable(node: Any) -> None:
    if isinstance(node, dict):
        if "type" in node:
            node["nullable"] = True
        for value in node.values():
            _nullable(value)
    elif isinstance(node, list):
        for value in node:
            _nullable(value)


@cache
def classic_document() -> dict[str, Any]:
    """The Classic API swagger."""
    document: dict[str, Any] = yaml.safe_load((DOCS / "classic-api-11.30.1.yaml").read_text())
    return document


def _minor(version: str) -> tuple[int, int]:
    major, minor = re.match(r"\s*(\d+)\.(\d+)", version).groups()  # type: ignore[union-attr]
    return int(major), int(minor)


@attrs.frozen
class _Request:
    method: str
    path: str
    host_url: str
    body: bytes | None
    content_type: str
    parameters: RequestParameters


@attrs.frozen
class _Response:
    status_code: int
    data: bytes
    content_type: str
    headers: Headers


def _as_openapi(request: httpx.Request) -> _Request:
    query = parse_qs(request.url.query.decode(), keep_blank_values=True)
    return _Request(
        method=request.method.lower(),
        path=request.url.path,
        host_url=f"{request.url.scheme}://{request.url.netloc.decode()}",
        body=request.content or None,
        content_type=request.headers.get("content-type", "").lower(),
        parameters=RequestParameters(
            query=ImmutableMultiDict(query),
            header=Headers(dict(request.headers)),
            cookie=ImmutableMultiDict({}),
        ),
    )


def operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    """The operation of `document` (base `/api`) that `method path` matches, if any."""
    relative = path.removeprefix("/api")
    for template, item in document["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, relative) and method.lower() in item:
            found: dict[str, Any] = item[method.lower()]
            return found
    return None


def allow_lists(op: dict[str, Any]) -> dict[str, frozenset[str]]:
    """`{"query": filter fields, "sort": sort fields}` stated in the operation's parameters."""
    lists: dict[str, frozenset[str]] = {}
    for parameter in op.get("parameters", []):
        for kind, text in _ALLOWED.findall(parameter.get("description") or ""):
            quoted = re.findall(r"`([^`]+)`", text)
            words = re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", text.split(".\n")[0].split(". ")[0])
            lists[kind] = frozenset(quoted or (w for w in words if w != "and"))
    return lists


def filter_fields(rsql: str) -> set[str]:
    """The selectors an RSQL filter compares (quoted values removed first)."""
    return set(_SELECTOR.findall(_QUOTED.sub('""', rsql)))


def sort_fields(values: list[str]) -> set[str]:
    """The fields of `sort` values such as `general.name:asc,id:asc`."""
    return {term.split(":")[0].strip() for v in values for term in v.split(",") if term.strip()}


def classic_operation(method: str, path: str) -> str | None:
    """The Classic swagger path template `method path` matches, if any."""
    relative = path.removeprefix("/JSSResource")
    for template, item in classic_document()["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, relative) and method.lower() in item:
            return str(template)
    return None


def classic_body_problems(request: httpx.Request) -> list[str]:
    """Classic XML bodies in the forms Jamf's reference pages document.

    `DELETE /JSSResource/logflush` (developer.jamf.com, "Flushes a log specified in an XML file"):
    "The ability to flush logs is currently only supported for flushing all logs for a given
    policy or all logs for a given computer. There is no support for flushing logs for a given
    policy and computer combination." — so `<log_id>` or `<computers>`, never both.
    """
    if request.url.path != "/JSSResource/logflush" or not request.content:
        return []
    root = ET.fromstring(request.content)
    forms = (root.find("log_id") is not None, root.find("computers") is not None)
    if root.tag != "logflush" or root.findtext("log") != "policy" or sum(forms) != 1:
        return ["DELETE /JSSResource/logflush: not a documented form (one policy, or computers)"]
    return []


def request_problems(request: httpx.Request, version: str, *, accepted: bool) -> list[str]:
    """Why `request` does not match Jamf's documents (empty when it does).

    `accepted` is whether the server accepted it (2xx): a request the simulator refused is only
    checked for its operation, as a test may send a refused value on purpose.
    """
    where = f"{request.method} {request.url.path}"
    if request.url.path.startswith("/JSSResource"):
        if classic_operation(request.method, request.url.path) is None:
            return [f"{where}: no such Classic API operation"]
        return classic_body_problems(request)
    if request.url.path in _TOKEN_PATHS:
        return []
    op = operation(pro_api_document(version), request.method, request.url.path)
    if op is None:
        return [f"{where}: no such Jamf Pro API operation in the {version} schema"]
    if not accepted:
        return []
    problems = []
    try:
        _pro_api(version).validate_request(_as_openapi(request))
    except Exception as error:  # openapi-core raises a tree of its own errors
        problems.append(f"{where}: {error} {getattr(error, '__cause__', '') or ''}")
    lists = allow_lists(op)
    query = parse_qs(request.url.query.decode())
    for rsql in query.get("filter", []):
        unknown = filter_fields(rsql) - lists.get("query", frozenset())
        if "query" in lists and unknown:
            problems.append(f"{where}: filter fields not allowed: {sorted(unknown)}")
    if "sort" in lists:
        unknown = sort_fields(query.get("sort", [])) - lists["sort"]
        if unknown:
            problems.append(f"{where}: sort fields not allowed: {sorted(unknown)}")
    return problems


def response_problems(request: httpx.Request, status: int, body: bytes, version: str) -> list[str]:
    """Why a Pro API answer does not match the response model or the ApiError shape."""
    path = request.url.path
    if not path.startswith("/api/") or path in _TOKEN_PATHS or "oauth/token" in path:
        return []
    where = f"{request.method} {path} → {status}"
    if status >= 400:
        try:
            error = json.loads(body)
        except ValueError:
            return [f"{where}: error body is not JSON"]
        shaped = isinstance(error, dict) and isinstance(error.get("httpStatus"), int)
        return (
            [] if shaped and isinstance(error.get("errors"), list) else [f"{where}: not ApiError"]
        )
    if status == 204 or not body:
        return []
    answer = _Response(status, body, "application/json", Headers({}))
    try:
        _pro_api_answers(version).validate_response(_as_openapi(request), answer)
    except Exception as error:
        return [f"{where}: {error} {getattr(error, '__cause__', '') or ''}"]
    return []
