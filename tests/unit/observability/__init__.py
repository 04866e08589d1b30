"""Unit tests of metrics, request observability, readiness and structured logs."""
