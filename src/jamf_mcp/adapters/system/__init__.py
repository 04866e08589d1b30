"""Adapters for the host system (clock)."""

from jamf_mcp.adapters.system.clock import SystemClock

__all__ = ["SystemClock"]
