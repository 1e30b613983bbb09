-- The runtime group role, the vector extension, and the tenancy tables: tenants, users and
-- refresh tokens. Every tenant table gets RLS ENABLE + FORCE and one policy that admits the
-- tenant set for the current transaction (set_config('app.tenant_id', ..., true)), or the
-- deliberately narrow platform scope (set_config('app.scope', 'platform', true)).
-- Identifiers use COLLATE "C" so keyset pagination orders them the same on every server locale.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'itl_runtime') THEN
        CREATE ROLE itl_runtime NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;

CREATE EXTENSION IF NOT EXISTS vector;

-- The runtime role may use the schema, never create objects in it.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO itl_runtime;

CREATE TABLE tenants (
    id          text COLLATE "C" PRIMARY KEY,
    name        text NOT NULL,
    settings    jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX tenants_keyset_idx ON tenants (created_at, id);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
    USING (id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'platform')
    WITH CHECK (id = current_setting('app.tenant_id', true)
                OR current_setting('app.scope', true) = 'platform');

-- tenant_id is NULL for platform admins; those rows are reachable only in the platform scope.
CREATE TABLE users (
    id             text COLLATE "C" PRIMARY KEY,
    tenant_id      text COLLATE "C" REFERENCES tenants (id) ON DELETE CASCADE,
    email          text NOT NULL,
    role           text NOT NULL,
    password_hash  text NOT NULL,
    is_active      boolean NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_keyset_idx ON users (tenant_id, created_at, id);
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'platform')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
                OR current_setting('app.scope', true) = 'platform');

CREATE TABLE refresh_tokens (
    id          text COLLATE "C" PRIMARY KEY,
    family_id   text COLLATE "C" NOT NULL,
    user_id     text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id   text COLLATE "C" REFERENCES tenants (id) ON DELETE CASCADE,
    token_hash  text NOT NULL CONSTRAINT refresh_tokens_hash_key UNIQUE,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    spent_at    timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON refresh_tokens
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'platform')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
                OR current_setting('app.scope', true) = 'platform');

GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, users, refresh_tokens TO itl_runtime;
