-- Identity (decisions OQ-28, 38, 39): people sign in with their employee id or email, by password or through their
-- organisation's OpenID Connect provider; okrd is a Feishu-compatible OAuth provider to apps (spec §9).

-- People: email and mobile for sign-in and contact look-ups; deactivated people keep their OKRs but their tokens stop.
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN mobile TEXT;
ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
-- Tenant administrators may call /okrd/admin/.
ALTER TABLE users ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX users_tenant_email ON users(tenant_id, email);

-- Sign-in settings of a tenant.
ALTER TABLE tenants ADD COLUMN password_sign_in INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tenants ADD COLUMN oidc_issuer TEXT;
ALTER TABLE tenants ADD COLUMN oidc_client_id TEXT;
-- The organisation's own provider's secret: okrd must present it, so it cannot be stored hashed.
ALTER TABLE tenants ADD COLUMN oidc_client_secret TEXT;
-- 1: a person who signs in through the provider with a verified email unknown here is created.
ALTER TABLE tenants ADD COLUMN oidc_create_users INTEGER NOT NULL DEFAULT 0;

-- OAuth clients: 'confidential' apps hold a secret; 'public' ones (the web UI, OQ-38) use PKCE alone.
ALTER TABLE apps ADD COLUMN client_type TEXT NOT NULL DEFAULT 'confidential';
CREATE TABLE app_redirect_uris (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  app_id TEXT NOT NULL REFERENCES apps(app_id),
  uri TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (app_id, uri)
);

-- Local passwords (memory-hard hash; never the password).
CREATE TABLE passwords (
  user_ref TEXT PRIMARY KEY REFERENCES users(id),
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  hash TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Invitation and password-reset links, single use, stored hashed.
CREATE TABLE sign_in_links (
  token_hash TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  user_ref TEXT NOT NULL REFERENCES users(id),
  purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX sign_in_links_expires ON sign_in_links(expires_at);

-- Browser sessions of the sign-in pages, stored hashed, shared by every okrd process.
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  user_ref TEXT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- Authorization codes: single use, short-lived, bound to the app, redirect URI and PKCE challenge.
CREATE TABLE oauth_codes (
  code_hash TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  app_id TEXT NOT NULL REFERENCES apps(app_id),
  user_ref TEXT NOT NULL REFERENCES users(id),
  redirect_uri TEXT NOT NULL,
  scope TEXT NOT NULL,
  code_challenge TEXT,
  code_challenge_method TEXT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX oauth_codes_expires ON oauth_codes(expires_at);

-- Refresh tokens rotate; a rotated one used again revokes its whole family.
CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  app_id TEXT NOT NULL REFERENCES apps(app_id),
  user_ref TEXT NOT NULL REFERENCES users(id),
  family_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  rotated_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
CREATE INDEX refresh_tokens_expires ON refresh_tokens(expires_at);

-- User tokens issued by sign-in carry the scopes the person granted (NULL: the app's scopes) and their refresh family.
ALTER TABLE access_tokens ADD COLUMN scope TEXT;
ALTER TABLE access_tokens ADD COLUMN family_id TEXT;

-- Sign-in attempts per account and per address, counted per window, shared by every process (global, like rate limits).
CREATE TABLE sign_in_throttle (
  bucket TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  count INTEGER NOT NULL
);

-- A sign-in through the organisation's OpenID Connect provider in progress: state, nonce and PKCE verifier.
CREATE TABLE oidc_logins (
  state_hash TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  return_to TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
