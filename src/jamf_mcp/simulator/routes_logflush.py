"""Classic policy log flushing: ``DELETE /JSSResource/logflush[/policy/id/{id}/interval/{interval}]``.

Flushing a policy's logs makes "Once per …" policies run again at the next check-in (Jamf
reference §4.3). Only policy logs are simulated; any other ``<log>`` kind answers 400.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, delete
from litestar.params import FromPath

from jamf_mcp.simulator.classic_xml import XML, parse_list, read_xml
from jamf_mcp.simulator.clock import MS_PER_DAY
from jamf_mcp.simulator.context import UPDATE_POLICIES, ctx
from jamf_mcp.simulator.errors import JamfHttpError
from jamf_mcp.simulator.tenant import Tenant

_FLUSH = {"privilege": UPDATE_POLICIES}
INTERVALS = {
    "zero days": 0, "one day": 1, "one week": 7, "two weeks": 14, "one month": 30,
    "three months": 91, "six months": 182, "one year": 365,
}  # fmt: skip


def interval_days(raw: str) -> int | None:
    """Days of a Classic interval such as ``Zero+Days``, ``Zero Days`` or ``three months``."""
    return INTERVALS.get(" ".join(raw.replace("+", " ").split()).lower())


def _flush(
    tenant: Tenant, raw_policy_id: str, raw_interval: str, computer_ids: set[int] | None
) -> Response[bytes]:
    days = interval_days(raw_interval)
    raw_policy_id = raw_policy_id.strip()
    if days is None or not raw_policy_id.isdigit() or int(raw_policy_id) not in tenant.policies:
        raise JamfHttpError(404)
    tenant.flush_policy_logs(int(raw_policy_id), tenant.now_ms() - days * MS_PER_DAY, computer_ids)
    return Response(content=b"", status_code=200, media_type=XML)


@delete(
    "/JSSResource/logflush/policy/id/{policy_id:str}/interval/{interval:str}",
    opt=_FLUSH,
    status_code=200,
)
async def flush_policy_logs(
    request: Request[Any, Any, Any], policy_id: FromPath[str], interval: FromPath[str]
) -> Response[bytes]:
    """Forget a policy's logs older than ``interval`` (``Zero+Days`` = all) on every computer."""
    return _flush(ctx(request).tenant, policy_id, interval, None)


@delete("/JSSResource/logflush", opt=_FLUSH, status_code=200)
async def flush_logs(request: Request[Any, Any, Any]) -> Response[bytes]:
    """``<logflush><log>policy</log><log_id>N</log_id><interval>…</interval><computers>…``.

    ``<computers>`` (by ``<id>``) narrows the flush to those computers; without it every
    computer's logs of the policy are flushed. DTDs and entities are refused (400).
    """
    tenant = ctx(request).tenant
    element = await read_xml(request, "logflush")
    if (element.findtext("log") or "").strip().lower() != "policy":
        raise JamfHttpError(400, description="Only policy logs can be flushed")
    computers = element.find("computers")
    computer_ids: set[int] | None = None
    if computers is not None:
        items = parse_list(computers, "computers", ("computer", {"id": 0}))
        computer_ids = {int(item["id"]) for item in items}
        if not computer_ids or not computer_ids <= tenant.computers_by_id.keys():
            raise JamfHttpError(400, description="Unknown computer in <computers>")
    return _flush(
        tenant, element.findtext("log_id") or "", element.findtext("interval") or "", computer_ids
    )


ROUTES = [flush_policy_logs, flush_logs]
