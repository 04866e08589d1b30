"""The Grafana dashboard, the CloudWatch dashboard, alarms and scaling policy, and the collector
that feeds CloudWatch all name metrics, labels and dimensions that `jamf-mcp serve` really
exports on `/metrics` — read after real traffic, tool names included.

CloudWatch names follow the ADOT Prometheus receiver with `trim_metric_suffixes: false`:
counters keep their `_total` sample name, histograms and gauges their family name. The static
label `service` is added by the collector's scrape configuration; `job` and `instance` are
Prometheus' own target labels.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import RunningServer, start_server, stop_server
from tests.support.dashboards import (
    cloudwatch_uses,
    collector_declarations,
    grafana_queries,
    template,
)

pytestmark = pytest.mark.e2e

PING = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
JSON_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
TARGET_LABELS = frozenset({"job", "instance"})
COLLECTOR_LABELS = frozenset({"service"})


class Scrape:
    """One `/metrics` scrape: family types, sample names, and the labels seen per family."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.types: dict[str, str] = {}
        self.samples: dict[str, set[str]] = {}
        self.family_labels: dict[str, set[str]] = {}
        self.values: list[tuple[str, dict[str, str], float]] = []
        for family in text_string_to_metric_families(text):
            self.types[family.name] = family.type
            labels = self.family_labels.setdefault(family.name, set())
            for sample in family.samples:
                self.samples.setdefault(sample.name, set()).update(sample.labels)
                labels.update(set(sample.labels) - {"le"})
                self.values.append((sample.name, sample.labels, sample.value))

    def family_of(self, sample_name: str) -> str | None:
        """The family a PromQL sample name belongs to, if declared."""
        for suffix in ("_bucket", "_count", "_sum", "_total", ""):
            if sample_name.endswith(suffix):
                name = sample_name.removesuffix(suffix) if suffix else sample_name
                if name in self.types and _suffix_fits(self.types[name], suffix):
                    return name
        return None

    def cloudwatch_family(self, metric: str) -> str | None:
        """The family a CloudWatch metric name (receiver naming) stands for, if exported."""
        if metric.endswith("_total"):
            name = metric.removesuffix("_total")
            return name if self.types.get(name) == "counter" else None
        return metric if self.types.get(metric) in ("gauge", "histogram") else None


def _suffix_fits(kind: str, suffix: str) -> bool:
    allowed = {
        "counter": {"_total"},
        "histogram": {"_bucket", "_count", "_sum"},
        "gauge": {""},
    }
    return suffix in allowed.get(kind, {""})


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(
        Path(tmp_path_factory.mktemp("metrics")),
        {"JAMF_MCP_AUTH": "dev", "JAMF_MCP_RATE_LIMIT_PER_MINUTE": "40"},
    )
    yield running
    stop_server(running)


def _token(server: RunningServer) -> str:
    """A token the server accepts, as `jamf-mcp dev-token` prints it."""
    command = [sys.executable, "-m", "jamf_mcp", "dev-token", "--data-dir", str(server.data_dir)]
    command += ["--server", server.base_url]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


async def _traffic(server: RunningServer) -> None:
    signed_in = {"Authorization": f"Bearer {_token(server)}"}
    http_client = httpx2.AsyncClient(headers=signed_in, timeout=60)
    transport = streamable_http_client(server.mcp_url, http_client=http_client)
    async with Client(transport, mode="legacy") as client:
        await client.call_tool("searchDevices", {"searchTerm": "John Smith"})
        await client.call_tool("checkDeviceCompliance", {"daysSinceLastCheckin": 30})
        await client.call_tool("getDeviceDetails", {"deviceIdentifier": "NO-SUCH-DEVICE"})
        await client.call_tool(
            "executePolicy", {"policyName": "Software Update", "deviceIdentifier": "MAC-123"}
        )
    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as http:
        stream_headers = {"Accept": "text/event-stream", **signed_in}
        async with http.stream("GET", "/mcp", headers=stream_headers) as stream:
            assert stream.status_code == 200
        forged = {**JSON_HEADERS, "Authorization": "Bearer not-a-token"}
        assert (await http.post("/mcp", json=PING, headers=forged)).status_code == 401
        for _ in range(60):
            answer = await http.post("/mcp", json=PING, headers={**JSON_HEADERS, **signed_in})
            if answer.status_code == 429:
                break
        else:
            raise AssertionError("the rate limit never refused a request")


async def _collect(server: RunningServer) -> Scrape:
    await _traffic(server)
    deadline = time.monotonic() + 15
    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as http:
        while True:  # the closed stream is observed once the server notices the disconnect
            text = (await http.get("/metrics")).text
            if 'jamf_mcp_sse_connection_duration_seconds_count{transport="get"}' in text:
                return Scrape(text)
            assert time.monotonic() < deadline, "the closed SSE stream was never observed"
            await asyncio.sleep(0.05)


@pytest.fixture(scope="module")
def scrape(server: RunningServer) -> Scrape:
    return asyncio.run(_collect(server))


def test_per_tool_metrics_carry_the_tool_names(scrape: Scrape) -> None:
    tools = {
        labels["tool"] for name, labels, _ in scrape.values if name.startswith("jamf_mcp_tool_")
    }
    assert {"searchDevices", "checkDeviceCompliance", "getDeviceDetails", "executePolicy"} <= tools
    assert "other" not in tools
    outcome = {
        (labels["tool"], labels["outcome"])
        for name, labels, _ in scrape.values
        if name == "jamf_mcp_tool_calls_total"
    }
    assert ("getDeviceDetails", "domain_error") in outcome


def test_every_grafana_query_reads_exported_metrics_and_labels(scrape: Scrape) -> None:
    """Every metric is a declared family read with its type's suffix; every label is one the
    family's samples carry (a family this traffic left empty, such as retries, shows none)."""
    queries = grafana_queries()
    assert len(queries) >= 20
    for query in queries:
        assert query.metrics, query.expr
        families = set()
        for metric in query.metrics:
            family = scrape.family_of(metric)
            assert family is not None, f"{metric} is not exported ({query.expr})"
            families.add(family)
        known = set().union(*(scrape.family_labels[f] for f in families)) | TARGET_LABELS | {"le"}
        assert query.labels <= known, f"{query.labels - known} unknown in {query.expr}"


def test_the_key_metrics_have_data_after_real_traffic(scrape: Scrape) -> None:
    for sample in [
        "jamf_mcp_sse_connections_active",
        "jamf_mcp_sse_connection_duration_seconds_bucket",
        "jamf_mcp_http_request_duration_seconds_bucket",
        "jamf_mcp_errors_total",
        "jamf_mcp_tool_call_duration_seconds_bucket",
        "jamf_mcp_jamf_request_duration_seconds_bucket",
        "jamf_mcp_jamf_requests_total",
        "jamf_mcp_rate_limited_requests_total",
        "jamf_mcp_pending_confirmations",
    ]:
        assert sample in scrape.samples, sample
    pending = [v for n, _, v in scrape.values if n == "jamf_mcp_pending_confirmations"]
    assert pending == [1.0]  # the executePolicy call is waiting for its confirmation


def test_cloudwatch_reads_only_metrics_the_collector_sends_with_declared_dimensions(
    scrape: Scrape,
) -> None:
    tpl = template()
    declarations = collector_declarations(tpl)
    uses = cloudwatch_uses(tpl)
    assert len(uses) >= 15
    for use in uses:
        family = scrape.cloudwatch_family(use.metric)
        assert family is not None, f"{use.where}: {use.metric} is not exported"
        labels = scrape.family_labels[family] | COLLECTOR_LABELS
        assert use.dimensions <= labels, f"{use.where}: {use.dimensions - labels} not labels"
        declared = [
            dims for pattern, sets in declarations if pattern.fullmatch(use.metric) for dims in sets
        ]
        assert use.dimensions in declared, f"{use.where}: {use.metric} {set(use.dimensions)}"


def test_every_collector_declaration_selects_an_exported_metric(scrape: Scrape) -> None:
    for pattern, dimension_sets in collector_declarations(template()):
        name = pattern.pattern.strip("^$")
        family = scrape.cloudwatch_family(name)
        assert family is not None, f"the collector selects {name}, which is not exported"
        for dims in dimension_sets:
            assert dims <= scrape.family_labels[family] | COLLECTOR_LABELS, (name, dims)
