"""MCP prompts: conversation starters with arguments, served by `prompts/list` and `prompts/get`."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from jamf_mcp.adapters.mcp import revisions
from jamf_mcp.adapters.mcp.jsonrpc import Request
from jamf_mcp.adapters.mcp.methods import MethodHandler, result_reply
from jamf_mcp.adapters.mcp.replies import RequestScope
from jamf_mcp.adapters.mcp.resources_errors import guarded, invalid_params, shown
from jamf_mcp.adapters.mcp.resources_paging import DEFAULT_PAGE_SIZE, LIST_CACHE, page_of
from jamf_mcp.application.authorization import READ

MAX_ARGUMENT_CHARS = 200


class InvalidPromptArgument(ValueError):
    """An argument value a prompt cannot use; the message says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


PromptRenderer = Callable[[Mapping[str, str]], str]
"""The user message of a prompt from its checked arguments; may raise `InvalidPromptArgument`."""


@attrs.frozen
class PromptArgument:
    """One argument a prompt takes.

    Attributes:
        name: machine name.
        title: display name (2025-06-18+ clients).
        description: what to give, with an example.
        required: whether `prompts/get` refuses to render without it.
    """

    name: str
    title: str
    description: str
    required: bool = False

    def to_wire(self, version: str) -> dict[str, Any]:
        """The MCP `PromptArgument` object."""
        wire: dict[str, Any] = {"name": self.name, "description": self.description}
        if revisions.has_titles(version):
            wire["title"] = self.title
        return wire | {"required": self.required}


@attrs.frozen
class PromptDefinition:
    """A prompt: its identity, its arguments and how it renders.

    Attributes:
        name: machine name.
        title: display name (2025-06-18+ clients).
        description: what the conversation it starts is for.
        arguments: what it takes, in order.
        render: the user message for checked arguments.
    """

    name: str
    title: str
    description: str
    arguments: tuple[PromptArgument, ...]
    render: PromptRenderer = attrs.field(eq=False)

    def to_wire(self, version: str) -> dict[str, Any]:
        """The MCP `Prompt` object."""
        wire: dict[str, Any] = {"name": self.name, "description": self.description}
        if revisions.has_titles(version):
            wire["title"] = self.title
        return wire | {"arguments": [a.to_wire(version) for a in self.arguments]}

    def argument(self, name: str) -> PromptArgument | None:
        """The argument called `name`, or None."""
        return next((a for a in self.arguments if a.name == name), None)


def _one_line(value: str) -> bool:
    return not any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in value)


def check_arguments(
    prompt: PromptDefinition, given: Mapping[str, Any], request: Request
) -> dict[str, str]:
    """The given arguments, stripped, with empty ones dropped (an empty value is not given).

    Values must be one line of text of at most `MAX_ARGUMENT_CHARS` characters.

    Raises:
        RpcError: -32602 for an unknown argument, a value that is not one line of text or too
            long, or a missing required argument.
    """
    takes = ", ".join(a.name for a in prompt.arguments) or "no arguments"
    values: dict[str, str] = {}
    for name, value in given.items():
        if prompt.argument(name) is None:
            raise invalid_params(
                request, f"Prompt {prompt.name!r} has no argument {shown(name)}; it takes: {takes}."
            )
        if not isinstance(value, str):
            raise invalid_params(request, f"Argument {name!r} must be a string.")
        value = value.strip()
        if len(value) > MAX_ARGUMENT_CHARS:
            raise invalid_params(
                request, f"Argument {name!r} is longer than {MAX_ARGUMENT_CHARS} characters."
            )
        if not _one_line(value):
            raise invalid_params(
                request, f"Argument {name!r} must be one line of text, without control characters."
            )
        if value:
            values[name] = value
    for argument in prompt.arguments:
        if argument.required and argument.name not in values:
            raise invalid_params(
                request,
                f"Prompt {prompt.name!r} needs the argument {argument.name!r}: "
                f"{argument.description}",
            )
    return values


class PromptMethods:
    """Serves `prompts/list` and `prompts/get`; announces `prompts: {}` (the list never changes).

    Args:
        prompts: the prompts, in listing order.
        page_size: prompts per list page.
        required_scopes: what the principal must hold for either method.

    Raises:
        ValueError: for a prompt name used twice or a page size below 1.
    """

    def __init__(
        self,
        prompts: Sequence[PromptDefinition],
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        required_scopes: frozenset[str] = READ,
    ) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self._prompts = tuple(prompts)
        self._by_name = {prompt.name: prompt for prompt in prompts}
        if len(self._by_name) != len(self._prompts):
            raise ValueError("a prompt name is used twice")
        self._page_size = page_size
        self._required = required_scopes

    def methods(self) -> Mapping[str, MethodHandler]:
        """The two prompt methods; their scopes are checked before they run (`scopes()`)."""
        return {
            "prompts/list": guarded(self.list_prompts),
            "prompts/get": guarded(self.get_prompt),
        }

    def scopes(self) -> Mapping[str, frozenset[str]]:
        """Every method needs `required_scopes`."""
        return dict.fromkeys(("prompts/list", "prompts/get"), self._required)

    def capabilities(self) -> Mapping[str, Any]:
        """`prompts` without `listChanged`."""
        return {"prompts": {}}

    def prompt(self, name: str) -> PromptDefinition | None:
        """The prompt called `name`, or None."""
        return self._by_name.get(name)

    async def list_prompts(self, request: Request, scope: RequestScope) -> bytes:
        """Answer `prompts/list`."""
        page, next_cursor = page_of(self._prompts, request, "prompts", self._page_size)
        result: dict[str, Any] = {"prompts": [p.to_wire(scope.protocol_version) for p in page]}
        if next_cursor is not None:
            result["nextCursor"] = next_cursor
        return result_reply(request, scope, result, LIST_CACHE)

    async def get_prompt(self, request: Request, scope: RequestScope) -> bytes:
        """Answer `prompts/get`: the prompt's description and one user message."""
        name = request.params.get("name")
        if not isinstance(name, str) or not name:
            raise invalid_params(request, "prompts/get needs a string 'name'")
        prompt = self._by_name.get(name)
        if prompt is None:
            known = ", ".join(self._by_name)
            raise invalid_params(
                request, f"Unknown prompt {shown(name)}; the prompts are: {known}."
            )
        given = request.params.get("arguments")
        if given is None:
            given = {}
        elif not isinstance(given, Mapping):
            raise invalid_params(request, "'arguments' must be an object of strings")
        values = check_arguments(prompt, given, request)
        try:
            text = prompt.render(values)
        except InvalidPromptArgument as bad:
            raise invalid_params(request, bad.message) from None
        message = {"role": "user", "content": {"type": "text", "text": text}}
        result = {"description": prompt.description, "messages": [message]}
        return result_reply(request, scope, result)
