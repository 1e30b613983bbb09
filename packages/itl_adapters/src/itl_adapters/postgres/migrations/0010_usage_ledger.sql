-- Model usage per tenant per UTC day and per UTC month, for budgets (itl_core.quotas.budget).
-- One row per (tenant, period, start), added to by an atomic upsert after each chat turn:
-- durable and transactional, so budgets hold while Redis is down and survive its restarts.
CREATE TABLE usage_ledger (
    tenant_id     text COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    period        text NOT NULL CHECK (period IN ('day', 'month')),
    period_start  date NOT NULL,
    tokens        bigint NOT NULL DEFAULT 0 CHECK (tokens >= 0),
    cost_usd      numeric(20, 8) NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
    PRIMARY KEY (tenant_id, period, period_start)
);
ALTER TABLE usage_ledger ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_ledger FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_ledger
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'platform')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
                OR current_setting('app.scope', true) = 'platform');

GRANT SELECT, INSERT, UPDATE, DELETE ON usage_ledger TO itl_runtime;
