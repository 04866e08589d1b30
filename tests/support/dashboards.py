"""Read the deployment's dashboards and alarms: which metrics, labels and dimensions they query.

- Grafana (`deploy/grafana/jamf-mcp.json`): PromQL in every panel target and template variable.
- CloudWatch (`deploy/aws/jamf-mcp.yaml`): the dashboard body, the alarms, the scaling policy's
  metrics (namespace `JamfMcp`), and the ADOT collector's `metric_declarations` that decide
  which metrics and dimension sets reach CloudWatch at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import yaml

ROOT = Path(__file__).resolve().parents[2]
GRAFANA = ROOT / "deploy" / "grafana" / "jamf-mcp.json"
TEMPLATE = ROOT / "deploy" / "aws" / "jamf-mcp.yaml"
NAMESPACE = "JamfMcp"

_METRIC = re.compile(r"\b((?:jamf_mcp|process)_[a-z0-9_]+)\b")
_BY = re.compile(r"\b(?:by|without)\s*\(([^)]*)\)")
_MATCHERS = re.compile(r"\{([^}]*)\}")
_LABEL = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)")
_SEARCH = re.compile(r"SEARCH\('\{([^}]*)\}\s*MetricName=\"([^\"]+)\"")
_SELECT = re.compile(r"SELECT\s+\w+\((\w+)\)\s+FROM\s+SCHEMA\(([^)]*)\)")


@attrs.frozen
class PromQuery:
    """One PromQL expression: the metric names it reads and the labels it names."""

    expr: str
    metrics: frozenset[str]
    labels: frozenset[str]


@attrs.frozen
class CloudWatchUse:
    """One use of a CloudWatch metric: its name and the dimension names it is read with."""

    where: str
    metric: str
    dimensions: frozenset[str]


def prom_query(expr: str) -> PromQuery:
    """The metrics and labels of `expr`."""
    labels = {
        label.strip() for group in _BY.findall(expr) for label in group.split(",") if label.strip()
    }
    labels |= {label for group in _MATCHERS.findall(expr) for label in _LABEL.findall(group)}
    return PromQuery(expr, frozenset(_METRIC.findall(expr)), frozenset(labels))


def grafana_queries(path: Path = GRAFANA) -> list[PromQuery]:
    """Every PromQL expression of the Grafana dashboard (panels and template variables)."""
    dashboard = json.loads(path.read_text())
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    for variable in dashboard["templating"]["list"]:
        query = variable.get("query")
        if isinstance(query, dict):
            exprs.append(query["query"])
    return [prom_query(expr) for expr in exprs]


class _CloudFormationLoader(yaml.SafeLoader):
    """A YAML loader that reads CloudFormation's short tags (`!Sub`, `!Ref`, …) as plain data."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    key = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        return {key: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {key: loader.construct_sequence(node, deep=True)}
    return {key: loader.construct_mapping(node, deep=True)}  # type: ignore[arg-type]


_CloudFormationLoader.add_multi_constructor("!", _tag)


def template(path: Path = TEMPLATE) -> dict[str, Any]:
    """The CloudFormation template as data."""
    loaded: dict[str, Any] = yaml.load(path.read_text(), Loader=_CloudFormationLoader)
    return loaded


def _substituted(value: Any) -> str:
    """The text of a `Fn::Sub` with its `${…}` references replaced (and `${!…}` unescaped)."""
    text = value["Fn::Sub"][0] if isinstance(value["Fn::Sub"], list) else value["Fn::Sub"]
    text = re.sub(r"\$\{(?!!)[^}]+\}", "placeholder", text)
    return text.replace("${!", "${")


def _resources(tpl: dict[str, Any], kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, resource in tpl["Resources"].items():
        if resource["Type"] == kind:
            yield name, resource["Properties"]


def cloudwatch_uses(tpl: dict[str, Any]) -> list[CloudWatchUse]:
    """Every read of a `JamfMcp` metric: dashboard widgets, alarms, the scaling policy."""
    uses: list[CloudWatchUse] = []
    for name, props in _resources(tpl, "AWS::CloudWatch::Dashboard"):
        body = json.loads(_substituted(props["DashboardBody"]))
        for widget in body["widgets"]:
            for line in widget["properties"].get("metrics", []):
                uses += _dashboard_line(f"{name}: {widget['properties']['title']}", line)
    for name, props in _resources(tpl, "AWS::CloudWatch::Alarm"):
        if props.get("Namespace") == NAMESPACE:
            dims = frozenset(d["Name"] for d in props.get("Dimensions", []))
            uses.append(CloudWatchUse(name, props["MetricName"], dims))
        for query in props.get("Metrics", []):
            uses += [
                CloudWatchUse(name, metric, _schema_dimensions(schema))
                for metric, schema in _SELECT.findall(" ".join(query.get("Expression", "").split()))
            ]
    for name, props in _resources(tpl, "AWS::ApplicationAutoScaling::ScalingPolicy"):
        config = props["TargetTrackingScalingPolicyConfiguration"]
        for query in config.get("CustomizedMetricSpecification", {}).get("Metrics", []):
            metric = query.get("MetricStat", {}).get("Metric", {})
            if metric.get("Namespace") == NAMESPACE:
                dims = frozenset(d["Name"] for d in metric.get("Dimensions", []))
                uses.append(CloudWatchUse(name, metric["MetricName"], dims))
    return uses


def _dashboard_line(where: str, line: list[Any]) -> list[CloudWatchUse]:
    if line and isinstance(line[0], dict):
        return [
            CloudWatchUse(where, metric, _schema_dimensions(schema))
            for schema, metric in _SEARCH.findall(line[0].get("expression", ""))
        ]
    if line and line[0] == NAMESPACE:
        names = [item for item in line[2:] if isinstance(item, str)][0::2]
        return [CloudWatchUse(where, line[1], frozenset(names))]
    return []


def _schema_dimensions(schema: str) -> frozenset[str]:
    namespace, *dimensions = [part.strip().strip('"') for part in schema.split(",")]
    assert namespace == NAMESPACE, schema
    return frozenset(dimensions)


def collector_declarations(
    tpl: dict[str, Any],
) -> list[tuple[re.Pattern[str], list[frozenset[str]]]]:
    """The ADOT collector's awsemf `metric_declarations`: (selector, dimension sets) pairs."""
    (task,) = [props for _, props in _resources(tpl, "AWS::ECS::TaskDefinition")]
    (collector,) = [c for c in task["ContainerDefinitions"] if c["Name"] == "adot-collector"]
    (setting,) = [e for e in collector["Environment"] if e["Name"] == "AOT_CONFIG_CONTENT"]
    config = yaml.safe_load(_substituted(setting["Value"]))
    assert config["receivers"]["prometheus"]["trim_metric_suffixes"] is False
    return [
        (re.compile(selector), [frozenset(dims) for dims in declaration["dimensions"]])
        for declaration in config["exporters"]["awsemf"]["metric_declarations"]
        for selector in declaration["metric_name_selectors"]
    ]
