-- Agents and tool specifications. Name uniqueness (case-insensitive) and the one-active-
-- supervisor rule are unique indexes, so they hold under concurrent writes.

CREATE TABLE agents (
    id             text COLLATE "C" PRIMARY KEY,
    tenant_id      text COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name           text NOT NULL,
    kind           text NOT NULL,
    description    text NOT NULL,
    system_prompt  text NOT NULL,
    provider       text NOT NULL,
    model          text NOT NULL,
    temperature    double precision NOT NULL,
    max_tokens     integer NOT NULL,
    tool_ids       text[] NOT NULL,
    routing        jsonb NOT NULL,
    is_active      boolean NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE UNIQUE INDEX agents_name_key ON agents (tenant_id, lower(name));
CREATE UNIQUE INDEX agents_one_active_supervisor_key ON agents (tenant_id)
    WHERE kind = 'supervisor' AND is_active;
CREATE INDEX agents_keyset_idx ON agents (tenant_id, created_at, id);
ALTER TABLE agents ENABLE ROW LEVEL SECURITY;
ALTER TABLE agents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agents
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'platform')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
                OR current_setting('app.scope', true) = 'platform');

-- sealed_secrets: {"name": "<base64 ciphertext>"}; config never holds secrets.
CREATE TABLE tool_specs (
    id              text COLLATE "C" PRIMARY KEY,
    tenant_id       text COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name            text NOT NULL,
    kind            text NOT NULL,
    description     text NOT NULL,
    config          jsonb NOT NULL,
    sealed_secrets  jsonb NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX tool_specs_name_key ON tool_specs (tenant_id, lower(name));
CREATE INDEX tool_specs_keyset_idx ON tool_specs (tenant_id, created_at, id);
ALTER TABLE tool_specs ENABLE ROW LEVEL SECURITY;
ALTER TABLE tool_specs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tool_specs
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'platform')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
                OR current_setting('app.scope', true) = 'platform');

GRANT SELECT, INSERT, UPDATE, DELETE ON agents, tool_specs TO itl_runtime;
