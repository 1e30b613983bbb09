-- One widget configuration per tenant, and the tenant's encrypted model-provider keys.

CREATE TABLE widget_configs (
    tenant_id               text COLLATE "C" PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    title                   text NOT NULL,
    welcome_message         text NOT NULL,
    theme                   jsonb NOT NULL,
    position                text NOT NULL,
    starter_prompts         text[] NOT NULL,
    allowed_origins         text[] NOT NULL,
    sealed_identity_secret  bytea,
    updated_at              timestamptz NOT NULL
);
ALTER TABLE widget_configs ENABLE ROW LEVEL SECURITY;
ALTER TABLE widget_configs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON widget_configs
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'platform')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
                OR current_setting('app.scope', true) = 'platform');

-- ciphertext is MultiFernet output bound to (tenant, provider); last4 is what the UI shows.
CREATE TABLE provider_keys (
    tenant_id   text COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    provider    text NOT NULL,
    ciphertext  bytea NOT NULL,
    last4       text NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, provider)
);
ALTER TABLE provider_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE provider_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON provider_keys
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'platform')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
                OR current_setting('app.scope', true) = 'platform');

GRANT SELECT, INSERT, UPDATE, DELETE ON widget_configs, provider_keys TO itl_runtime;
