-- Knowledge documents and their chunks: 384-dimension embeddings (HNSW, cosine) for semantic
-- search and a tsvector for keyword search. The 'simple' text-search configuration does not
-- stem, because tenants write in any language.

CREATE TABLE knowledge_documents (
    id              text COLLATE "C" PRIMARY KEY,
    tenant_id       text COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    title           text NOT NULL,
    content_hash    text NOT NULL,
    status          text NOT NULL,
    bytes           bigint NOT NULL,
    chunks          integer NOT NULL,
    failure_reason  text,
    created_at      timestamptz NOT NULL,
    CONSTRAINT knowledge_documents_hash_key UNIQUE (tenant_id, content_hash),
    CONSTRAINT knowledge_documents_tenant_id_id_key UNIQUE (tenant_id, id)
);
CREATE INDEX knowledge_documents_keyset_idx ON knowledge_documents (tenant_id, created_at, id);
ALTER TABLE knowledge_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE knowledge_documents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON knowledge_documents
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'platform')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
                OR current_setting('app.scope', true) = 'platform');

CREATE TABLE knowledge_chunks (
    id            text COLLATE "C" PRIMARY KEY,
    tenant_id     text COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    document_id   text COLLATE "C" NOT NULL,
    position      integer NOT NULL,
    text          text NOT NULL,
    heading_path  text[] NOT NULL,
    embedding     vector(384),
    search        tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED,
    CONSTRAINT knowledge_chunks_document_fkey FOREIGN KEY (tenant_id, document_id)
        REFERENCES knowledge_documents (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX knowledge_chunks_document_idx ON knowledge_chunks (tenant_id, document_id, position);
CREATE INDEX knowledge_chunks_embedding_idx ON knowledge_chunks
    USING hnsw (embedding vector_cosine_ops);
CREATE INDEX knowledge_chunks_search_idx ON knowledge_chunks USING gin (search);
ALTER TABLE knowledge_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE knowledge_chunks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON knowledge_chunks
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'platform')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
                OR current_setting('app.scope', true) = 'platform');

GRANT SELECT, INSERT, UPDATE, DELETE ON knowledge_documents, knowledge_chunks TO itl_runtime;
