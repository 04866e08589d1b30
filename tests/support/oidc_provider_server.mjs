// A real OpenID provider (npm `oidc-provider@9`) for tests. Configured by the JSON in the
// OIDC_PROVIDER_CONFIG environment variable:
//   {issuer, port, audience, scope, client: {client_id, client_secret, redirect_uris}}
// Any username logs in (devInteractions); accounts get `<username>@example.test` as email.
// Access tokens for `audience` (the default resource) are JWTs carrying `scope`.
//
// Refresh tokens are issued to the confidential client whether or not the request said
// `prompt=consent`: Auth0 and Okta hand out refresh tokens for `offline_access` without it
// (Auth0 "Get Refresh Tokens", Okta "Refresh access tokens" docs), while oidc-provider by default
// follows OpenID Connect Core §11 strictly; `issueRefreshToken` is its documented switch.
//
// Test control, standing in for an administrator at the IdP (POST /test-admin/accounts with
// {"disable": [ids], "read_only": [ids]}): a disabled account no longer exists for the provider
// (its refresh tokens fail with invalid_grant, as in Auth0/Okta after blocking a user); a
// read-only account's new access tokens carry only `read:jamf`.
import Provider, { errors } from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_PROVIDER_CONFIG);
const disabled = new Set();
const readOnly = new Set();

const provider = new Provider(config.issuer, {
  clients: [{
    ...config.client,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: config.client.token_endpoint_auth_method || 'client_secret_basic',
  }],
  pkce: { required: () => true },
  async issueRefreshToken(_ctx, client) {
    return client.grantTypeAllowed('refresh_token');
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
  async findAccount(_ctx, id) {
    if (disabled.has(id)) {
      return undefined;
    }
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: `${id}@example.test`,
          email_verified: true,
          name: `User ${id}`,
          preferred_username: id,
        };
      },
    };
  },
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => config.audience,
      useGrantedResource: () => true,
      getResourceServerInfo(ctx, resourceIndicator) {
        if (resourceIndicator !== config.audience) {
          throw new errors.InvalidTarget();
        }
        const account = ctx.oidc && ctx.oidc.account ? ctx.oidc.account.accountId : undefined;
        return {
          scope: readOnly.has(account) ? 'read:jamf' : (config.scope || 'read:jamf write:jamf'),
          audience: config.audience,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 3600,
        };
      },
    },
  },
  cookies: { keys: ['oidc-provider-test-cookie-key'] },
});

provider.on('server_error', (_ctx, error) => console.error('server_error', error));

provider.use(async (ctx, next) => {
  if (ctx.path === '/test-admin/accounts' && ctx.method === 'POST') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
    for (const id of body.disable || []) disabled.add(id);
    for (const id of body.read_only || []) readOnly.add(id);
    ctx.status = 204;
    return;
  }
  await next();
});

const server = provider.listen(config.port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${config.issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
