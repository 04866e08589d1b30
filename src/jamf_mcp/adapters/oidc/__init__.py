"""OpenID Connect: token verification, JWKS caching, the upstream IdP client, signing keys."""
