"""Prometheus metrics: one private registry, typed recording methods, text exposition."""

from jamf_mcp.adapters.prometheus.labels import OTHER, jamf_path_template
from jamf_mcp.adapters.prometheus.metrics import CONTENT_TYPE, Metrics, SseConnection

__all__ = ["CONTENT_TYPE", "OTHER", "Metrics", "SseConnection", "jamf_path_template"]
