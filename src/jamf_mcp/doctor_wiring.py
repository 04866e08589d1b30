"""Composition of `jamf-mcp doctor`: the three diagnoses wired to real adapters for one
configuration. Part of the composition root (the CLI calls it and prints the result).

Nothing here changes state: Jamf Pro, the identity provider and the public URL are only read,
stores are only pinged, files are only looked at. Without `JAMF_URL` the embedded demo tenant is
checked in process (`JAMF_CLIENT_ID`/`JAMF_CLIENT_SECRET` may name one of its demo clients).
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

import httpx

from jamf_mcp.adapters.jamf_rest import JamfPolicyCatalogue, RetryPolicy, open_jamf_http
from jamf_mcp.adapters.jamf_rest.doctor_access import JamfRestAccess
from jamf_mcp.adapters.mcp_jamf.features import FEATURE_TOOLS
from jamf_mcp.adapters.oauth_server import FrontDoorConfig
from jamf_mcp.adapters.oidc.provider_info import OidcProviderInfo
from jamf_mcp.adapters.oidc.resource_metadata import PublishedResource
from jamf_mcp.adapters.oidc.signing_check import signing_key_problem
from jamf_mcp.adapters.postgres.audit_check import PostgresAuditStoreCheck
from jamf_mcp.adapters.redis import open_redis
from jamf_mcp.adapters.redis.store_check import RedisStoreCheck
from jamf_mcp.adapters.sqlite.audit_check import SqliteAuditStoreCheck
from jamf_mcp.adapters.system.local_files import LocalDataFiles
from jamf_mcp.application.ports.doctor import StoreCheck
from jamf_mcp.application.use_cases.diagnose_jamf import DiagnoseJamf, DiagnoseJamfRequest
from jamf_mcp.application.use_cases.diagnose_sign_in import DiagnoseSignIn, DiagnoseSignInRequest
from jamf_mcp.application.use_cases.diagnose_storage import DiagnoseStorage, DiagnoseStorageRequest
from jamf_mcp.containers.application import inventory_policy
from jamf_mcp.containers.jamf import build_simulator, jamf_connection
from jamf_mcp.domain.diagnostics import CheckResult, Diagnosis
from jamf_mcp.settings import Settings
from jamf_mcp.simulator import JamfSimulator

PUBLIC_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


async def diagnose(settings: Settings, *, simulator: JamfSimulator | None = None) -> Diagnosis:
    """Check Jamf Pro, sign-in and storage for `settings`.

    Args:
        settings: The configuration to check, read like `serve` reads it.
        simulator: The embedded tenant to check instead of building one (tests); only used
            without `JAMF_URL`.
    """
    if not settings.jamf.embedded:
        simulator = None
    elif simulator is None:
        simulator = build_simulator(settings)
    async with AsyncExitStack() as stack:
        public = await stack.enter_async_context(
            httpx.AsyncClient(timeout=PUBLIC_TIMEOUT, follow_redirects=False)
        )
        jamf = await _jamf(settings, simulator, stack)
        sign_in = await _sign_in(settings, public)
        storage = await _storage(settings, stack)
    return Diagnosis.of(jamf, sign_in, storage)


async def _jamf(
    settings: Settings, simulator: JamfSimulator | None, stack: AsyncExitStack
) -> list[CheckResult]:
    connection = jamf_connection(settings)
    app: Any = None if simulator is None else simulator.app
    transport = None if app is None else httpx.ASGITransport(app=app)
    http = await stack.enter_async_context(
        open_jamf_http(connection, transport=transport, retry=RetryPolicy.immediate(2))
    )
    probe = await stack.enter_async_context(
        httpx.AsyncClient(
            base_url=connection.base_url,
            timeout=httpx.Timeout(10.0, connect=connection.connect_timeout_seconds),
            verify=connection.verify_tls,
            transport=transport,
            follow_redirects=False,
        )
    )
    access = JamfRestAccess(http, probe, embedded=simulator is not None)
    use_case = DiagnoseJamf(access, JamfPolicyCatalogue(http), FEATURE_TOOLS)
    return await use_case.execute(DiagnoseJamfRequest(inventory_policy(settings)))


async def _sign_in(settings: Settings, public: httpx.AsyncClient) -> list[CheckResult]:
    auth = settings.auth
    provider = (
        OidcProviderInfo(auth.oidc_issuer, public)
        if auth.mode == "oidc" and auth.oidc_issuer
        else None
    )
    use_case = DiagnoseSignIn(provider, PublishedResource(settings.resource_url, public))
    return await use_case.execute(
        DiagnoseSignInRequest(
            mode=auth.mode,
            public_url=auth.public_url,
            effective_public_url=settings.public_url,
            resource_url=settings.resource_url,
            binds_loopback_only=settings.binds_loopback_only,
            allowed_hosts=frozenset(host.lower() for host in settings.allowed_hosts),
            issuer=auth.oidc_issuer,
            client_id=auth.oidc_client_id,
            audience=auth.oidc_audience,
            callback_url=FrontDoorConfig(
                issuer=settings.public_url, resource=settings.resource_url
            ).upstream_redirect_uri,
        )
    )


async def _storage(settings: Settings, stack: AsyncExitStack) -> list[CheckResult]:
    stores: list[StoreCheck] = []
    if settings.redis_url:
        redis = open_redis(settings.redis_url, cluster=settings.redis_cluster)
        stack.push_async_callback(redis.aclose)
        stores.append(RedisStoreCheck(redis))
    audit = settings.audit
    if audit.url:
        stores.append(PostgresAuditStoreCheck(audit.url, audit.schema, audit.timeout_seconds))
    else:
        stores.append(SqliteAuditStoreCheck(settings.audit_path))
    files = LocalDataFiles(
        settings.data_dir, settings.data_dir / "signing-key.json", signing_key_problem
    )
    return await DiagnoseStorage(files, stores).execute(
        DiagnoseStorageRequest(
            signs_tokens=settings.auth.mode != "none", shared_state=bool(settings.redis_url)
        )
    )
