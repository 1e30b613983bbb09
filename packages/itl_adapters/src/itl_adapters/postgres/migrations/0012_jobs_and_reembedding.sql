-- Background jobs (itl_core.jobs) and re-embedding a tenant's knowledge into another model
-- (itl_core.knowledge.embedding).

-- One row per job. Workers claim the oldest queued job with FOR UPDATE SKIP LOCKED (in the
-- platform scope: a worker serves every tenant); status pages read them in the tenant's scope.
-- ``attempts`` counts claims and fences a worker whose lease was taken over.
CREATE TABLE jobs (
    id                text COLLATE "C" PRIMARY KEY,
    tenant_id         text COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind              text NOT NULL,
    payload           jsonb NOT NULL DEFAULT '{}'::jsonb,
    status            text NOT NULL
                      CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    done              bigint NOT NULL DEFAULT 0 CHECK (done >= 0),
    total             bigint NOT NULL DEFAULT 0 CHECK (total >= 0),
    error             text,
    attempts          integer NOT NULL DEFAULT 0,
    lease_expires_at  timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz,
    CONSTRAINT jobs_running_has_lease CHECK (status <> 'running' OR lease_expires_at IS NOT NULL)
);
-- At most one queued job per tenant and kind: a queued job works from the state it finds when
-- it runs, so enqueueing a twin answers the one already waiting.
CREATE UNIQUE INDEX jobs_one_queued_key ON jobs (tenant_id, kind) WHERE status = 'queued';
CREATE INDEX jobs_queued_idx ON jobs (created_at, id) WHERE status = 'queued';
CREATE INDEX jobs_running_idx ON jobs (tenant_id, kind, lease_expires_at) WHERE status = 'running';
CREATE INDEX jobs_keyset_idx ON jobs (tenant_id, created_at, id);
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON jobs
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'platform')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
                OR current_setting('app.scope', true) = 'platform');

-- The model that embedded a tenant's searchable vectors (knowledge_chunks.embedding). No row
-- means the default model. The re-embedding job writes the row before its first switch, so the
-- switch (FOR UPDATE) and ingestion reading the model (FOR SHARE) always contend on it.
CREATE TABLE knowledge_embedding_models (
    tenant_id    text COLLATE "C" PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    model        text NOT NULL,
    switched_at  timestamptz
);
ALTER TABLE knowledge_embedding_models ENABLE ROW LEVEL SECURITY;
ALTER TABLE knowledge_embedding_models FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON knowledge_embedding_models
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'platform')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
                OR current_setting('app.scope', true) = 'platform');

-- Vectors of a model being introduced, beside the active ones, keyed by model: search never
-- reads them. The switch copies them into knowledge_chunks in one transaction and deletes them.
-- Unindexed on purpose (only looked up by key): an HNSW index here would cost as much as the
-- re-embedding itself.
CREATE TABLE knowledge_chunk_embeddings (
    tenant_id  text COLLATE "C" NOT NULL,
    model      text NOT NULL,
    chunk_id   text COLLATE "C" NOT NULL REFERENCES knowledge_chunks (id) ON DELETE CASCADE,
    embedding  vector(384) NOT NULL,
    PRIMARY KEY (tenant_id, model, chunk_id)
);
CREATE INDEX knowledge_chunk_embeddings_chunk_idx ON knowledge_chunk_embeddings (chunk_id);
ALTER TABLE knowledge_chunk_embeddings ALTER COLUMN embedding SET STORAGE PLAIN;
ALTER TABLE knowledge_chunk_embeddings ENABLE ROW LEVEL SECURITY;
ALTER TABLE knowledge_chunk_embeddings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON knowledge_chunk_embeddings
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'platform')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
                OR current_setting('app.scope', true) = 'platform');

GRANT SELECT, INSERT, UPDATE, DELETE
    ON jobs, knowledge_embedding_models, knowledge_chunk_embeddings TO itl_runtime;
