"""`DiagnoseSignIn` and `DiagnoseStorage`: the identity provider, the public URL, the data
directory, the signing key and the stores — each problem named with its fix."""

from __future__ import annotations

import attrs
import pytest

from jamf_mcp.application.ports.doctor import PathFacts, ProviderFacts
from jamf_mcp.application.use_cases.diagnose_sign_in import DiagnoseSignIn, DiagnoseSignInRequest
from jamf_mcp.application.use_cases.diagnose_storage import DiagnoseStorage, DiagnoseStorageRequest
from jamf_mcp.domain.diagnostics import (
    CheckResult,
    CheckStatus,
    IdentityProviderProblem,
    StoreProblem,
)

PUBLIC = "https://mcp.example.com"
OIDC = DiagnoseSignInRequest(
    mode="oidc",
    public_url=PUBLIC,
    effective_public_url=PUBLIC,
    resource_url=f"{PUBLIC}/mcp",
    binds_loopback_only=False,
    allowed_hosts=frozenset({"mcp.example.com"}),
    issuer="https://acme.eu.auth0.com/",
    client_id="front-door",
    audience="https://mcp.example.com/mcp",
    callback_url=f"{PUBLIC}/auth/upstream/callback",
)
FACTS = ProviderFacts(
    discovery_url="https://acme.eu.auth0.com/.well-known/openid-configuration",
    authorization_endpoint="https://acme.eu.auth0.com/authorize",
    token_endpoint="https://acme.eu.auth0.com/oauth/token",
    code_challenge_methods=("S256", "plain"),
    signing_keys=2,
)


@attrs.define
class FakeProvider:
    facts: ProviderFacts | Exception = FACTS

    async def discover(self) -> ProviderFacts:
        if isinstance(self.facts, Exception):
            raise self.facts
        return self.facts


@attrs.define
class FakePublic:
    resource: str | None = f"{PUBLIC}/mcp"

    async def advertised_resource(self) -> str | None:
        return self.resource


async def sign_in(
    request: DiagnoseSignInRequest = OIDC,
    provider: FakeProvider | None = None,
    public: FakePublic | None = None,
) -> dict[str, CheckResult]:
    results = await DiagnoseSignIn(provider or FakeProvider(), public or FakePublic()).execute(
        request
    )
    return {result.title: result for result in results}


async def test_a_complete_openid_configuration_passes_and_names_the_callback_to_register() -> None:
    results = await sign_in()
    assert {r.status for r in results.values()} == {CheckStatus.PASSED}
    callback = results["Callback URL at the identity provider"]
    assert callback.detail == (
        "the application 'front-door' must allow exactly "
        "https://mcp.example.com/auth/upstream/callback"
    )
    assert "2 signature key(s)" in results["Issuer discovery and JWKS"].detail


async def test_an_issuer_that_does_not_match_its_discovery_document_fails_with_the_fix() -> None:
    problem = IdentityProviderProblem("says its issuer is 'https://acme.eu.auth0.com'")
    results = await sign_in(provider=FakeProvider(problem))
    discovery = results["Issuer discovery and JWKS"]
    assert discovery.status is CheckStatus.FAILED
    assert "iss claim" in discovery.fix


@pytest.mark.parametrize(
    ("facts", "words"),
    [
        (attrs.evolve(FACTS, signing_keys=0), "without signature keys"),
        (attrs.evolve(FACTS, code_challenge_methods=("plain",)), "not S256"),
    ],
)
async def test_a_provider_without_keys_or_pkce_s256_fails(facts: ProviderFacts, words: str) -> None:
    results = await sign_in(provider=FakeProvider(facts))
    assert results["Issuer discovery and JWKS"].status is CheckStatus.FAILED
    assert words in results["Issuer discovery and JWKS"].detail


async def test_a_missing_audience_warns() -> None:
    results = await sign_in(attrs.evolve(OIDC, audience=None))
    assert results["Audience"].status is CheckStatus.WARNING
    assert "OIDC_AUDIENCE" in results["Audience"].fix


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"public_url": None, "effective_public_url": "http://0.0.0.0:8000"}, "not set"),
        ({"effective_public_url": "http://mcp.example.com"}, "not https"),
        ({"effective_public_url": "https://mcp.example.com/jamf"}, "path"),
        ({"allowed_hosts": frozenset({"other.example.com"})}, "JAMF_MCP_ALLOWED_HOSTS"),
    ],
)
async def test_a_public_url_clients_cannot_use_fails(
    changes: dict[str, object], words: str
) -> None:
    results = await sign_in(attrs.evolve(OIDC, **changes))  # type: ignore[arg-type]
    assert results["Public URL"].status is CheckStatus.FAILED
    assert words in results["Public URL"].detail + results["Public URL"].fix


async def test_a_loopback_http_url_is_fine_for_local_clients() -> None:
    local = attrs.evolve(
        OIDC,
        mode="dev",
        public_url=None,
        effective_public_url="http://127.0.0.1:8000",
        resource_url="http://127.0.0.1:8000/mcp",
        binds_loopback_only=True,
        allowed_hosts=frozenset(),
    )
    results = await sign_in(local, public=FakePublic("http://127.0.0.1:8000/mcp"))
    assert results["Public URL"].status is CheckStatus.PASSED
    assert results["Sign-in mode"].status is CheckStatus.WARNING  # the development IdP


async def test_another_server_at_the_public_url_fails_and_none_there_yet_warns() -> None:
    other = await sign_in(public=FakePublic("https://old.example.com/mcp"))
    assert other["This server answers at its public URL"].status is CheckStatus.FAILED
    absent = await sign_in(public=FakePublic(None))
    assert absent["This server answers at its public URL"].status is CheckStatus.WARNING


async def test_sign_in_off_is_fine_on_loopback_only() -> None:
    off = attrs.evolve(OIDC, mode="none", binds_loopback_only=True)
    assert (await sign_in(off))["Sign-in mode"].status is CheckStatus.PASSED
    exposed = await sign_in(attrs.evolve(off, binds_loopback_only=False))
    assert exposed["Sign-in mode"].status is CheckStatus.FAILED


PRIVATE_DIRECTORY = PathFacts("/data", exists=True, writable=True, mode=0o700)
PRIVATE_KEY = PathFacts("/data/signing-key.json", exists=True, writable=True, mode=0o600)


@attrs.define
class FakeFiles:
    directory: PathFacts = PRIVATE_DIRECTORY
    key: PathFacts = PRIVATE_KEY
    key_problem: str | None = None

    def data_directory(self) -> PathFacts:
        return self.directory

    def signing_key(self) -> tuple[PathFacts, str | None]:
        return self.key, self.key_problem


@attrs.define
class FakeStore:
    name: str
    answer: str | Exception

    async def check(self) -> str:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


async def storage(
    files: FakeFiles, stores: tuple[FakeStore, ...] = (), *, shared: bool = False
) -> dict[str, CheckResult]:
    request = DiagnoseStorageRequest(signs_tokens=True, shared_state=shared)
    results = await DiagnoseStorage(files, stores).execute(request)
    return {result.title: result for result in results}


async def test_owner_only_files_and_answering_stores_pass() -> None:
    stores = (FakeStore("Redis", "Redis 7.2.4 answers"), FakeStore("Audit store", "3 actions"))
    results = await storage(FakeFiles(), stores, shared=True)
    assert {r.status for r in results.values()} == {CheckStatus.PASSED}


@pytest.mark.parametrize(
    ("directory", "status"),
    [
        (PathFacts("/data", exists=True, writable=False, mode=0o700), CheckStatus.FAILED),
        (PathFacts("/data", exists=True, writable=True, mode=0o777), CheckStatus.FAILED),
        (PathFacts("/data", exists=True, writable=True, mode=0o755), CheckStatus.WARNING),
        (PathFacts("/data", exists=False), CheckStatus.PASSED),
    ],
)
async def test_the_data_directory_must_be_ours_and_private(
    directory: PathFacts, status: CheckStatus
) -> None:
    results = await storage(FakeFiles(directory=directory))
    assert results["Data directory"].status is status


async def test_a_signing_key_others_can_read_or_that_cannot_sign_fails() -> None:
    readable = FakeFiles(key=PathFacts("/data/signing-key.json", True, True, 0o644))
    assert (await storage(readable))["Signing key"].fix == "chmod 600 /data/signing-key.json"
    public_only = FakeFiles(key_problem="holds a public key only")
    assert (await storage(public_only))["Signing key"].status is CheckStatus.FAILED


async def test_a_missing_key_is_fine_alone_but_warned_about_with_several_replicas() -> None:
    missing = FakeFiles(key=PathFacts("/data/signing-key.json", exists=False))
    assert (await storage(missing))["Signing key"].status is CheckStatus.PASSED
    shared = await storage(missing, shared=True)
    assert shared["Signing key"].status is CheckStatus.WARNING
    assert "same key" in shared["Signing key"].fix


async def test_a_store_that_does_not_answer_fails() -> None:
    down = FakeStore("Redis", StoreProblem("Redis does not answer (ConnectionError)"))
    results = await storage(FakeFiles(), (down,), shared=True)
    assert results["Redis"].status is CheckStatus.FAILED
    assert "does not answer" in results["Redis"].detail
