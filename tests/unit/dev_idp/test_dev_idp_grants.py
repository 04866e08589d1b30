"""Short-lived state: entries expire, single use, bounded size, codes kept only as hashes."""

from __future__ import annotations

from jamf_mcp.adapters.dev_idp.grants import CodeGrant, ExpiringStore


def grant(expires_at: float) -> CodeGrant:
    return CodeGrant(
        client_id="jamf-mcp",
        redirect_uri="http://x/cb",
        code_challenge="c",
        nonce=None,
        username="alice",
        scopes=("openid",),
        audience=None,
        auth_time=0,
        expires_at=expires_at,
    )


def test_entries_expire_and_pop_only_once() -> None:
    store: ExpiringStore[CodeGrant] = ExpiringStore(10, hash_keys=True)
    store.put("code-1", grant(100.0), now=0.0)
    assert store.get("code-1", now=99.0) is not None
    assert store.get("code-1", now=100.0) is None
    assert store.pop("code-1", now=50.0) is not None
    assert store.pop("code-1", now=50.0) is None


def test_the_oldest_entry_goes_when_the_store_is_full() -> None:
    store: ExpiringStore[CodeGrant] = ExpiringStore(2)
    for key in ("a", "b", "c"):
        store.put(key, grant(100.0), now=0.0)
    assert len(store) == 2
    assert store.get("a", now=1.0) is None
    assert store.get("c", now=1.0) is not None


def test_hashed_stores_do_not_keep_the_code_itself() -> None:
    store: ExpiringStore[CodeGrant] = ExpiringStore(2, hash_keys=True)
    store.put("the-secret-code", grant(100.0), now=0.0)
    assert "the-secret-code" not in vars(store)["_entries"]
