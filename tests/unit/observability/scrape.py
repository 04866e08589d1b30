"""Read a `Metrics` scrape back: the exposition text parsed into samples."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from jamf_mcp.adapters.prometheus import Metrics


def scrape(metrics: Metrics) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of one scrape, keyed by sample name and labels."""
    text = metrics.render().decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(metrics: Metrics, name: str, **labels: str) -> float | None:
    """The value of one sample in a fresh scrape, or None when it is absent."""
    return scrape(metrics).get((name, frozenset(labels.items())))


def names(metrics: Metrics) -> set[str]:
    """The sample names of one scrape."""
    return {name for name, _ in scrape(metrics)}
