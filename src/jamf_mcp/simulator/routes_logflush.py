"""Classic policy log flushing, in the two forms Jamf documents (and no other).

Jamf's reference page for ``DELETE /JSSResource/logflush`` (developer.jamf.com, "Flushes a log
specified in an XML file") says: "The ability to flush logs is currently only supported for
flushing all logs for a given policy or all logs for a given computer. There is no support for
flushing logs for a given policy and computer combination." Its samples:
``<logflush><log>policy</log><log_id>2</log_id><interval>THREE MONTHS</interval></logflush>``
(all logs of a policy) and ``<logflush><log>policy</log><interval>THREE MONTHS</interval>
<computers><computer><id>1</id></computer>…</computers></logflush>`` (all policy logs of those
computers). The Classic swagger's sample that combines ``<log_id>`` and ``<computers>`` is the
unsupported combination: it is refused here with 400. Flushing makes "Once per …" policies run
again at the next check-in (reference §4.3). Only policy logs are simulated.
"""

from __future__ import annotations

import itertools
from typing import Any

from litestar import Request, Response, delete
from litestar.params import FromPath

from jamf_mcp.simulator.classic_xml import XML, parse_list, read_xml
from jamf_mcp.simulator.clock import MS_PER_DAY
from jamf_mcp.simulator.context import UPDATE_POLICIES, ctx
from jamf_mcp.simulator.errors import JamfHttpError
from jamf_mcp.simulator.tenant import Tenant

_FLUSH = {"privilege": UPDATE_POLICIES}
_COUNTS = {"zero": 0, "one": 1, "two": 2, "three": 3, "six": 6}
_UNITS = {"day": 1, "week": 7, "month": 30, "year": 365}
INTERVALS = {
    f"{count} {unit}{suffix}": n * days
    for (count, n), (unit, days), suffix in itertools.product(
        _COUNTS.items(), _UNITS.items(), ("", "s")
    )
}
"""Jamf: "Interval is a combination of Zero, One, Two, Three, Six, and Day, Week, Month, Year"."""
COMBINATION_REFUSED = (
    "There is no support for flushing logs for a given policy and computer combination"
)


def interval_days(raw: str) -> int | None:
    """Days of a Classic interval such as ``Zero+Days``, ``Zero Days`` or ``THREE MONTHS``."""
    return INTERVALS.get(" ".join(raw.replace("+", " ").split()).lower())


def _cutoff(tenant: Tenant, raw_interval: str) -> int:
    days = interval_days(raw_interval)
    if days is None:
        raise JamfHttpError(404)
    return tenant.now_ms() - days * MS_PER_DAY


def _policy_id(tenant: Tenant, raw: str) -> int:
    raw = raw.strip()
    if not raw.isdigit() or int(raw) not in tenant.policies:
        raise JamfHttpError(404)
    return int(raw)


@delete(
    "/JSSResource/logflush/policy/id/{policy_id:str}/interval/{interval:str}",
    opt=_FLUSH,
    status_code=200,
)
async def flush_policy_logs(
    request: Request[Any, Any, Any], policy_id: FromPath[str], interval: FromPath[str]
) -> Response[bytes]:
    """Forget a policy's logs older than ``interval`` (``Zero+Days`` = all) on every computer."""
    tenant = ctx(request).tenant
    tenant.flush_policy_logs(_policy_id(tenant, policy_id), _cutoff(tenant, interval))
    return Response(content=b"", status_code=200, media_type=XML)


@delete("/JSSResource/logflush", opt=_FLUSH, status_code=200)
async def flush_logs(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The XML form: ``<log_id>`` (one policy, every computer) or ``<computers>`` (every policy
    log of those computers) — never both. DTDs and entities are refused (400)."""
    tenant = ctx(request).tenant
    element = await read_xml(request, "logflush")
    if (element.findtext("log") or "").strip().lower() != "policy":
        raise JamfHttpError(400, description="Only policy logs can be flushed")
    computers = element.find("computers")
    log_id = element.find("log_id")
    if computers is not None and log_id is not None:
        raise JamfHttpError(400, description=COMBINATION_REFUSED)
    cutoff = _cutoff(tenant, element.findtext("interval") or "")
    if computers is None:
        tenant.flush_policy_logs(_policy_id(tenant, element.findtext("log_id") or ""), cutoff)
        return Response(content=b"", status_code=200, media_type=XML)
    items = parse_list(computers, "computers", ("computer", {"id": 0}))
    computer_ids = {int(item["id"]) for item in items}
    if not computer_ids or not computer_ids <= tenant.computers_by_id.keys():
        raise JamfHttpError(400, description="Unknown computer in <computers>")
    tenant.flush_computer_logs(computer_ids, cutoff)
    return Response(content=b"", status_code=200, media_type=XML)


ROUTES = [flush_policy_logs, flush_logs]
