// A real OpenID provider (npm `oidc-provider@9`) for tests. Configured by the JSON in the
// OIDC_PROVIDER_CONFIG environment variable:
//   {issuer, port, audience, scope, client: {client_id, client_secret, redirect_uris}}
// Any username logs in (devInteractions); accounts get `<username>@example.test` as email.
// Access tokens for `audience` (the default resource) are JWTs carrying `scope`.
import Provider, { errors } from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_PROVIDER_CONFIG);

const provider = new Provider(config.issuer, {
  clients: [{
    ...config.client,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: config.client.token_endpoint_auth_method || 'client_secret_basic',
  }],
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
  async findAccount(_ctx, id) {
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
      getResourceServerInfo(_ctx, resourceIndicator) {
        if (resourceIndicator !== config.audience) {
          throw new errors.InvalidTarget();
        }
        return {
          scope: config.scope || 'read:jamf write:jamf',
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

const server = provider.listen(config.port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${config.issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
