"""`completion/complete` for the Jamf prompts' arguments and the jamf:// templates' ids."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from jamf_mcp.adapters.mcp.jsonrpc import Request
from jamf_mcp.adapters.mcp.methods import MethodHandler, result_reply
from jamf_mcp.adapters.mcp.replies import RequestScope
from jamf_mcp.adapters.mcp.resources_errors import guarded, invalid_params, shown
from jamf_mcp.adapters.mcp_jamf.jamf_prompts import (
    ALL_TARGET,
    COMPLIANCE_REVIEW,
    DAYS_SUGGESTIONS,
    ROLLOUT_POLICY,
    TROUBLESHOOT_DEVICE,
)
from jamf_mcp.adapters.mcp_jamf.jamf_resources import (
    COMPUTER_TEMPLATE,
    MOBILE_TEMPLATE,
    POLICY_TEMPLATE,
)
from jamf_mcp.application.use_cases import (
    CompleteNames,
    CompleteNamesRequest,
    NameCompletions,
    NamedItem,
    NameSource,
)
from jamf_mcp.application.use_cases.complete_names import MAX_SUGGESTIONS, MAX_TYPED
from jamf_mcp.domain.principal import Principal

Suggestions = tuple[list[str], int | None, bool | None]
"""Values, their total (None: unknown) and whether there are more (None: unknown)."""
Suggest = Callable[[str, Principal], Awaitable[Suggestions]]
"""What was typed, and who asks → suggestions."""


def _values(completions: NameCompletions, *, ids: bool) -> Suggestions:
    values = [item.key if ids else item.name for item in completions.items]
    return values, completions.total, completions.has_more


class CompletionMethods:
    """Serves `completion/complete`; announces `completions: {}`.

    Prompts get names (devices, policies, departments, "all", day counts); resource templates
    get the Jamf ids of the devices or policies whose name (or id) starts with what was typed.

    Args:
        complete_names: the use case that finds device, policy and department names.
    """

    def __init__(self, complete_names: CompleteNames) -> None:
        self._complete_names = complete_names
        self._prompts: dict[str, dict[str, Suggest]] = {
            COMPLIANCE_REVIEW: {"days": self._days},
            TROUBLESHOOT_DEVICE: {"device": self._names(NameSource.DEVICES, ids=False)},
            ROLLOUT_POLICY: {
                "policy": self._names(NameSource.POLICIES, ids=False),
                "target": self._targets,
            },
        }
        self._templates: dict[str, dict[str, Suggest]] = {
            COMPUTER_TEMPLATE: {"id": self._names(NameSource.COMPUTERS, ids=True)},
            MOBILE_TEMPLATE: {"id": self._names(NameSource.MOBILE_DEVICES, ids=True)},
            POLICY_TEMPLATE: {"id": self._names(NameSource.POLICIES, ids=True)},
        }

    def methods(self) -> Mapping[str, MethodHandler]:
        """`completion/complete` (its scopes: `scopes()`)."""
        return {"completion/complete": guarded(self.complete)}

    def scopes(self) -> Mapping[str, frozenset[str]]:
        """`completion/complete` needs what name completion needs."""
        return {"completion/complete": self._complete_names.required_scopes}

    def capabilities(self) -> Mapping[str, Any]:
        """`completions`."""
        return {"completions": {}}

    async def complete(self, request: Request, scope: RequestScope) -> bytes:
        """Answer `completion/complete` with at most 100 values."""
        suggest, typed = self._suggester(request)
        values, total, has_more = await suggest(typed, scope.principal)
        completion: dict[str, Any] = {"values": values[:MAX_SUGGESTIONS]}
        if total is not None:
            completion["total"] = total
        if has_more is not None:
            completion["hasMore"] = has_more
        return result_reply(request, scope, {"completion": completion})

    def _suggester(self, request: Request) -> tuple[Suggest, str]:
        """The suggester for the request's ref and argument name, and the typed value."""
        params = request.params
        ref, argument, context = params.get("ref"), params.get("argument"), params.get("context")
        if not isinstance(ref, Mapping) or not isinstance(ref.get("type"), str):
            raise invalid_params(request, "'ref' must be an object with a 'type'")
        if (
            not isinstance(argument, Mapping)
            or not isinstance(argument.get("name"), str)
            or not isinstance(argument.get("value"), str)
        ):
            raise invalid_params(request, "'argument' must be an object with string name and value")
        if len(argument["value"]) > MAX_TYPED:
            raise invalid_params(request, f"'argument.value' is longer than {MAX_TYPED} characters")
        if context is not None and not _string_arguments(context):
            raise invalid_params(request, "'context.arguments' must map names to strings")
        name = argument["name"]
        # A prompt, template or argument this server does not have has nothing to suggest: the
        # answer is an empty list (what clients and the conformance suite expect), not an error.
        if ref["type"] == "ref/prompt":
            prompt = ref.get("name")
            table = self._prompts.get(prompt) if isinstance(prompt, str) else None
        elif ref["type"] == "ref/resource":
            uri = ref.get("uri")
            table = self._templates.get(uri) if isinstance(uri, str) else None
        else:
            raise invalid_params(request, "'ref.type' must be 'ref/prompt' or 'ref/resource'")
        suggest = (table or {}).get(name, _nothing)
        return suggest, argument["value"]

    def _names(self, source: NameSource, *, ids: bool) -> Suggest:
        async def suggest(typed: str, principal: Principal) -> Suggestions:
            request = CompleteNamesRequest(source, typed)
            return _values(await self._complete_names.execute(request, principal), ids=ids)

        return suggest

    async def _days(self, typed: str, principal: Principal) -> Suggestions:
        values = [str(days) for days in DAYS_SUGGESTIONS if str(days).startswith(typed.strip())]
        return values, len(values), False

    async def _targets(self, typed: str, principal: Principal) -> Suggestions:
        """Suggest "all", then departments, then computers."""
        everyone = ALL_TARGET.startswith(typed.strip().casefold())
        every = NameCompletions(
            (NamedItem(ALL_TARGET, ALL_TARGET),) if everyone else (), int(everyone), False
        )
        departments = await self._complete_names.execute(
            CompleteNamesRequest(NameSource.DEPARTMENTS, typed), principal
        )
        computers = await self._complete_names.execute(
            CompleteNamesRequest(NameSource.COMPUTERS, typed), principal
        )
        parts = (every, departments, computers)
        return _values(NameCompletions.combined(parts, MAX_SUGGESTIONS), ids=False)


async def _nothing(typed: str, principal: Principal) -> Suggestions:
    return [], 0, False


def _string_arguments(context: object) -> bool:
    if not isinstance(context, Mapping):
        return False
    arguments = context.get("arguments", {})
    return isinstance(arguments, Mapping) and all(
        isinstance(key, str) and isinstance(value, str) for key, value in arguments.items()
    )


def _shown(value: object) -> str:
    return shown(value) if isinstance(value, str) else "(none)"
