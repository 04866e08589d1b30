"""MCP resources: fixed resources and URI templates, served by `resources/list`, `…/read`."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import attrs

from jamf_mcp.adapters.mcp import revisions
from jamf_mcp.adapters.mcp.jsonrpc import Request, encode_json
from jamf_mcp.adapters.mcp.methods import NO_CACHE, CacheHint, MethodHandler, result_reply
from jamf_mcp.adapters.mcp.replies import RequestScope
from jamf_mcp.adapters.mcp.resources_errors import (
    guarded,
    invalid_params,
    not_found_reply,
    shown,
)
from jamf_mcp.adapters.mcp.resources_paging import DEFAULT_PAGE_SIZE, LIST_CACHE, page_of
from jamf_mcp.application.authorization import READ
from jamf_mcp.domain.principal import Principal

JSON = "application/json"
JAMF_ID = "[1-9][0-9]{0,18}"
"""A Jamf id in a URI: ASCII digits, no sign, no leading zero."""

MAX_URI_CHARS = 2048

ResourceReader = Callable[[Mapping[str, str], Principal], Awaitable[Any]]
"""Reads one resource for a principal: template variables in, JSON-ready content out."""

_VARIABLE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class ResourceNotFound(Exception):
    """Raised by a reader when the URI is well-formed but names nothing that exists."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@attrs.frozen
class ResourceDefinition:
    """A resource with a fixed URI.

    Attributes:
        uri: the exact URI.
        name: machine name.
        title: display name (2025-06-18+ clients).
        description: what reading it returns, written for people and models.
        reader: produces the content (called with no variables).
        cache: how long a 2026-07-28 client may keep what it read.
        mime_type: of the content.
    """

    uri: str
    name: str
    title: str
    description: str
    reader: ResourceReader = attrs.field(eq=False)
    cache: CacheHint = NO_CACHE
    mime_type: str = JSON

    def to_wire(self, version: str) -> dict[str, Any]:
        """The MCP `Resource` object."""
        wire = {"uri": self.uri, "name": self.name, "description": self.description}
        if revisions.has_titles(version):
            wire["title"] = self.title
        return wire | {"mimeType": self.mime_type}


@attrs.frozen
class ResourceTemplate:
    """A family of resources named by an RFC 6570 level-1 URI template.

    Attributes:
        uri_template: e.g. `jamf://computers/{id}`.
        name: machine name.
        title: display name (2025-06-18+ clients).
        description: what reading one returns.
        reader: produces the content from the template's variables.
        variables: the pattern each variable must match in full (default: a Jamf id).
        cache: how long a 2026-07-28 client may keep what it read.
        mime_type: of the content.
    """

    uri_template: str
    name: str
    title: str
    description: str
    reader: ResourceReader = attrs.field(eq=False)
    variables: Mapping[str, str] = attrs.field(factory=dict)
    cache: CacheHint = NO_CACHE
    mime_type: str = JSON

    def variable_names(self) -> tuple[str, ...]:
        """The template's variables, in order."""
        return tuple(_VARIABLE.findall(self.uri_template))

    def compile(self) -> re.Pattern[str]:
        """The pattern a concrete URI must match in full, one named group per variable."""
        parts: list[str] = []
        position = 0
        for match in _VARIABLE.finditer(self.uri_template):
            parts.append(re.escape(self.uri_template[position : match.start()]))
            pattern = self.variables.get(match.group(1), JAMF_ID)
            parts.append(f"(?P<{match.group(1)}>{pattern})")
            position = match.end()
        parts.append(re.escape(self.uri_template[position:]))
        return re.compile("".join(parts))

    def to_wire(self, version: str) -> dict[str, Any]:
        """The MCP `ResourceTemplate` object."""
        wire = {
            "uriTemplate": self.uri_template,
            "name": self.name,
            "description": self.description,
        }
        if revisions.has_titles(version):
            wire["title"] = self.title
        return wire | {"mimeType": self.mime_type}


class ResourceMethods:
    """Serves `resources/list`, `resources/templates/list` and `resources/read`.

    URIs are matched strictly: a fixed resource by its exact URI, a template by a full match of
    its literal parts and one pattern per variable (Jamf ids: ASCII digits only). Anything else
    is "not found" and never reaches a reader, so hostile strings cannot travel on to Jamf.
    Announces `resources: {}` (no subscriptions, no change notifications). Every method needs
    `required_scopes`; a reader's domain errors become JSON-RPC errors, a reader's
    `ResourceNotFound` the era's "resource not found" error.

    Args:
        resources: the fixed resources, in listing order.
        templates: the URI templates, in listing order.
        page_size: entries per list page.
        required_scopes: what the principal must hold for any of the methods.

    Raises:
        ValueError: for a URI, template or name used twice, or a page size below 1.
    """

    def __init__(
        self,
        resources: Sequence[ResourceDefinition],
        templates: Sequence[ResourceTemplate] = (),
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        required_scopes: frozenset[str] = READ,
    ) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        keys = [r.uri for r in resources] + [t.uri_template for t in templates]
        names = [r.name for r in resources] + [t.name for t in templates]
        for label, values in (("URI", keys), ("name", names)):
            if len(set(values)) != len(values):
                raise ValueError(f"a resource {label} is used twice")
        self._resources = tuple(resources)
        self._by_uri = {resource.uri: resource for resource in resources}
        self._templates = tuple((t, t.compile()) for t in templates)
        self._page_size = page_size
        self._required = required_scopes

    def methods(self) -> Mapping[str, MethodHandler]:
        """The three resource methods; their scopes are checked before they run (`scopes()`)."""
        return {
            "resources/list": guarded(self.list_resources),
            "resources/templates/list": guarded(self.list_templates),
            "resources/read": guarded(self.read),
        }

    def scopes(self) -> Mapping[str, frozenset[str]]:
        """Every method needs `required_scopes`."""
        return dict.fromkeys(
            ("resources/list", "resources/templates/list", "resources/read"), self._required
        )

    def capabilities(self) -> Mapping[str, Any]:
        """`resources` without `subscribe` or `listChanged`."""
        return {"resources": {}}

    def template(self, uri_template: str) -> ResourceTemplate | None:
        """The template with exactly this URI template, or None."""
        return next((t for t, _ in self._templates if t.uri_template == uri_template), None)

    async def list_resources(self, request: Request, scope: RequestScope) -> bytes:
        """Answer `resources/list`."""
        page, next_cursor = page_of(self._resources, request, "resources", self._page_size)
        result: dict[str, Any] = {"resources": [r.to_wire(scope.protocol_version) for r in page]}
        if next_cursor is not None:
            result["nextCursor"] = next_cursor
        return result_reply(request, scope, result, LIST_CACHE)

    async def list_templates(self, request: Request, scope: RequestScope) -> bytes:
        """Answer `resources/templates/list`."""
        templates = [template for template, _ in self._templates]
        page, next_cursor = page_of(templates, request, "templates", self._page_size)
        result: dict[str, Any] = {
            "resourceTemplates": [t.to_wire(scope.protocol_version) for t in page]
        }
        if next_cursor is not None:
            result["nextCursor"] = next_cursor
        return result_reply(request, scope, result, LIST_CACHE)

    async def read(self, request: Request, scope: RequestScope) -> bytes:
        """Answer `resources/read`: one JSON text item, or "not found"."""
        uri = request.params.get("uri")
        if not isinstance(uri, str) or not uri:
            raise invalid_params(request, "resources/read needs a string 'uri'")
        if len(uri) > MAX_URI_CHARS:
            raise invalid_params(request, f"'uri' is longer than {MAX_URI_CHARS} characters")
        found = self._resolve(uri)
        if found is None:
            return not_found_reply(
                request,
                scope,
                uri,
                f"No resource has the URI {shown(uri)}; resources/list and "
                "resources/templates/list show what can be read.",
            )
        reader, variables, cache, mime_type = found
        try:
            content = await reader(variables, scope.principal)
        except ResourceNotFound as missing:
            return not_found_reply(request, scope, uri, missing.message)
        item = {"uri": uri, "mimeType": mime_type, "text": encode_json(content)}
        return result_reply(request, scope, {"contents": [item]}, cache)

    def _resolve(self, uri: str) -> tuple[ResourceReader, Mapping[str, str], CacheHint, str] | None:
        resource = self._by_uri.get(uri)
        if resource is not None:
            return resource.reader, {}, resource.cache, resource.mime_type
        for template, pattern in self._templates:
            match = pattern.fullmatch(uri)
            if match is not None:
                return template.reader, match.groupdict(), template.cache, template.mime_type
        return None
