"""The uvicorn server edge: deadlines and size caps for slow or abusive HTTP clients."""

from jamf_mcp.adapters.uvicorn_server.slow_clients import SlowClientGuard, slow_client_guard

__all__ = ["SlowClientGuard", "slow_client_guard"]
