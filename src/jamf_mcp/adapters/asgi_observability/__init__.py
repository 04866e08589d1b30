"""Request observability as raw ASGI middleware around the whole application: request and trace
ids, the access log, per-request metrics; and the readiness probes behind `/health/ready`."""
