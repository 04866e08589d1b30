"""Interop tests: the real server against tools nobody here wrote (MCP conformance, Inspector)."""
