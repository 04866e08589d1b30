"""Observability through a real Litestar app and the Jamf/OIDC instrumentation hooks."""
