"""Classic policies: ``/JSSResource/policies`` list, by id/name/category, subsets, and XML writes."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, delete, get, post, put
from litestar.params import FromPath

from jamf_mcp.simulator.classic_xml import XML, classic_response, read_xml
from jamf_mcp.simulator.context import (
    CREATE_POLICIES,
    DELETE_POLICIES,
    READ_POLICIES,
    UPDATE_POLICIES,
    ctx,
)
from jamf_mcp.simulator.errors import JamfHttpError
from jamf_mcp.simulator.policy_model import SUBSETS, blank_policy
from jamf_mcp.simulator.policy_writes import merge_policy
from jamf_mcp.simulator.tenant import Tenant

_READ = {"privilege": READ_POLICIES}


def _by_id(tenant: Tenant, raw_id: FromPath[str]) -> dict[str, Any]:
    policy = tenant.policies.get(int(raw_id)) if raw_id.isdigit() else None
    if policy is None:
        raise JamfHttpError(404)
    return policy


def _by_name(tenant: Tenant, name: FromPath[str]) -> dict[str, Any]:
    for policy in tenant.policies.values():
        if policy["general"]["name"] == name:
            return policy
    raise JamfHttpError(404)


def _summary(policies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ordered = sorted(policies, key=lambda p: p["general"]["id"])
    return [{"id": p["general"]["id"], "name": p["general"]["name"]} for p in ordered]


def _id_document(policy_id: int, status: int) -> Response[bytes]:
    body = f'<?xml version="1.0" encoding="UTF-8"?><policy><id>{policy_id}</id></policy>'
    return Response(content=body.encode(), status_code=status, media_type=XML)


@get("/JSSResource/policies", opt=_READ)
async def list_policies(request: Request[Any, Any, Any]) -> Response[bytes]:
    """``{"policies": [{"id": 1, "name": …}]}`` (integer ids)."""
    return classic_response(
        request, "policies", _summary(list(ctx(request).tenant.policies.values()))
    )


@get("/JSSResource/policies/category/{category:str}", opt=_READ)
async def policies_in_category(
    request: Request[Any, Any, Any], category: FromPath[str]
) -> Response[bytes]:
    """Policies of one category (by name)."""
    found = [
        p
        for p in ctx(request).tenant.policies.values()
        if p["general"]["category"]["name"] == category
    ]
    return classic_response(request, "policies", _summary(found))


@get("/JSSResource/policies/id/{policy_id:str}", opt=_READ)
async def policy_by_id(
    request: Request[Any, Any, Any], policy_id: FromPath[str]
) -> Response[bytes]:
    """One policy; unknown → 404 HTML page."""
    return classic_response(request, "policy", _by_id(ctx(request).tenant, policy_id))


@get("/JSSResource/policies/name/{name:str}", opt=_READ)
async def policy_by_name(request: Request[Any, Any, Any], name: FromPath[str]) -> Response[bytes]:
    """One policy by exact name."""
    return classic_response(request, "policy", _by_name(ctx(request).tenant, name))


@get("/JSSResource/policies/id/{policy_id:str}/subset/{subset:str}", opt=_READ)
async def policy_subset(
    request: Request[Any, Any, Any], policy_id: FromPath[str], subset: FromPath[str]
) -> Response[bytes]:
    """Some sections only, e.g. ``subset/General&Scope``."""
    policy = _by_id(ctx(request).tenant, policy_id)
    keys = [
        SUBSETS[name.strip().lower()]
        for name in subset.split("&")
        if name.strip().lower() in SUBSETS
    ]
    if not keys:
        raise JamfHttpError(400, description=f"Unknown subset {subset}")
    return classic_response(request, "policy", {key: policy[key] for key in keys})


@put(
    "/JSSResource/policies/id/{policy_id:str}", opt={"privilege": UPDATE_POLICIES}, status_code=201
)
async def update_policy(
    request: Request[Any, Any, Any], policy_id: FromPath[str]
) -> Response[bytes]:
    """Partial update per top-level section; ``<scope>`` is replaced wholesale."""
    tenant = ctx(request).tenant
    existing = _by_id(tenant, policy_id)
    updated = merge_policy(tenant, existing, await read_xml(request, "policy"))
    tenant.policies[existing["general"]["id"]] = updated
    return _id_document(existing["general"]["id"], 201)


@put("/JSSResource/policies/name/{name:str}", opt={"privilege": UPDATE_POLICIES}, status_code=201)
async def update_policy_by_name(
    request: Request[Any, Any, Any], name: FromPath[str]
) -> Response[bytes]:
    """Same as by id."""
    tenant = ctx(request).tenant
    existing = _by_name(tenant, name)
    updated = merge_policy(tenant, existing, await read_xml(request, "policy"))
    tenant.policies[existing["general"]["id"]] = updated
    return _id_document(existing["general"]["id"], 201)


@post(
    "/JSSResource/policies/id/{policy_id:str}", opt={"privilege": CREATE_POLICIES}, status_code=201
)
async def create_policy(
    request: Request[Any, Any, Any], policy_id: FromPath[str]
) -> Response[bytes]:
    """Create (use id 0); answers ``<policy><id>N</id></policy>`` with 201."""
    tenant = ctx(request).tenant
    new_id = max(tenant.policies, default=0) + 1
    created = merge_policy(tenant, blank_policy(new_id, ""), await read_xml(request, "policy"))
    tenant.policies[new_id] = created
    return _id_document(new_id, 201)


@delete(
    "/JSSResource/policies/id/{policy_id:str}", opt={"privilege": DELETE_POLICIES}, status_code=200
)
async def delete_policy(
    request: Request[Any, Any, Any], policy_id: FromPath[str]
) -> Response[bytes]:
    """Delete a policy."""
    tenant = ctx(request).tenant
    policy = _by_id(tenant, policy_id)
    del tenant.policies[policy["general"]["id"]]
    return _id_document(policy["general"]["id"], 200)


ROUTES = [
    list_policies, policies_in_category, policy_by_id, policy_by_name, policy_subset, update_policy,
    update_policy_by_name, create_policy, delete_policy,
]  # fmt: skip
