# syntax=docker/dockerfile:1
#
# jamf-mcp as a container image (docs/deploy/aws.md is the reference deployment).
#
#   docker build -t jamf-mcp .
#   docker run --rm -p 8000:8000 -e OIDC_ISSUER=... -e OIDC_CLIENT_ID=... jamf-mcp
#
# The server binds 0.0.0.0 in here, so `jamf-mcp serve` starts only with real sign-in
# (OIDC_ISSUER and OIDC_CLIENT_ID), or, for a trial on your own machine, with
# JAMF_MCP_DEV_IDP_ALLOW_REMOTE=1 (the development IdP's passwords are on its login page: never in
# production). The image sets no credentials: pass them at run time (ECS: Secrets Manager).
# tests/e2e/test_container_command.py runs this file's final-stage ENV, ENTRYPOINT + CMD and
# HEALTHCHECK from the dev venv.

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
# The project's wheel and every dependency's, so that the final stage installs offline.
RUN pip wheel --wheel-dir /wheels .

FROM python:3.11-slim AS runtime
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH
# The wheels are bind-mounted from the build stage, so none of them stays in a layer. /data is
# created owned by the runtime user before it is declared a VOLUME: Docker, and ECS for a bind
# mount whose containerPath is /data, copy that ownership into the volume.
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --no-index --find-links=/wheels jamf-mcp \
    && groupadd --system --gid 10001 jamf-mcp \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin jamf-mcp \
    && mkdir -p /app /data \
    && chown 10001:10001 /data \
    && chmod 0700 /data
# /data holds signing-key.json (the key of the tokens this server issues) and audit.sqlite3.
# Proxy headers (X-Forwarded-For/-Proto) are honoured only from JAMF_MCP_FORWARDED_ALLOW_IPS
# (default 127.0.0.1): set it to the load balancer's subnets when deploying.
ENV JAMF_MCP_DATA_DIR=/data \
    JAMF_MCP_PROXY_HEADERS=1 \
    JAMF_MCP_LOG_FORMAT=json
WORKDIR /app
VOLUME ["/data"]
USER 10001:10001
EXPOSE 8000
# Liveness only (no curl in slim): /health answers 200 while the process serves HTTP.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status != 200)"]
# Exec form: jamf-mcp is PID 1 and gets the SIGTERM itself (uvicorn then shuts down gracefully).
STOPSIGNAL SIGTERM
ENTRYPOINT ["jamf-mcp"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
