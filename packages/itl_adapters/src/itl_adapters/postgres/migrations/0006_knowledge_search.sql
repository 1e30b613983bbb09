-- Keyword search covers a chunk's heading path as well as its text: a passage under
-- "Incoterms 2020 > FOB" is about FOB even when its sentences never repeat the word. Headings
-- weigh more (B) than body text (D). The function is IMMUTABLE so the column stays generated:
-- the database, not the application, keeps the tsvector in step with the text.

CREATE FUNCTION knowledge_search_vector(heading_path text[], body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN setweight(to_tsvector('simple', array_to_string(heading_path, ' ')), 'B')
           || to_tsvector('simple', body);

ALTER TABLE knowledge_chunks DROP COLUMN search;
ALTER TABLE knowledge_chunks ADD COLUMN search tsvector
    GENERATED ALWAYS AS (knowledge_search_vector(heading_path, text)) STORED;
CREATE INDEX knowledge_chunks_search_idx ON knowledge_chunks USING gin (search);

-- The HNSW index covers only chunks marked ``indexed``. Inserting into an HNSW graph costs
-- milliseconds per 384-d vector (a few hundred rows/s on two cores), which would make every
-- upload slow and a large one exceed the statement timeout. So ingestion writes chunks
-- unindexed (B-tree and GIN only: thousands of rows/s), small tenants are always searched
-- exactly (their rows found through the tenant index), and only tenants large enough to need
-- the graph have their chunks promoted into it, in batches, off the request path
-- (``PgVectorIndexer``). Search reads a large tenant's indexed rows through the graph and its
-- not-yet-indexed rows exactly, so nothing is ever missed while promotion lags.
ALTER TABLE knowledge_chunks ADD COLUMN indexed boolean NOT NULL DEFAULT false;
DROP INDEX knowledge_chunks_embedding_idx;
CREATE INDEX knowledge_chunks_embedding_idx ON knowledge_chunks
    USING hnsw (embedding vector_cosine_ops) WHERE indexed;
CREATE INDEX knowledge_chunks_pending_idx ON knowledge_chunks (tenant_id) WHERE NOT indexed;

-- A chunk's tenant is its document's (the composite foreign key to knowledge_documents, which
-- references tenants and cascades); the direct key to tenants only cost a second lookup per
-- inserted chunk.
ALTER TABLE knowledge_chunks DROP CONSTRAINT knowledge_chunks_tenant_id_fkey;

-- A 384-d vector is 1.5 kB; with the passage beside it a row passes the 2 kB TOAST threshold,
-- and the default storage then moves the vector out of line, so an exact scan paid a TOAST
-- lookup per row (about 7 us, over 85% of its time). PLAIN keeps vectors in the row; the
-- passage text, needed only for the final k rows, is what gets compressed or moved instead.
ALTER TABLE knowledge_chunks ALTER COLUMN embedding SET STORAGE PLAIN;
-- Keep typical chunk rows (vector + passage + tsvector, about 3-4 kB) uncompressed in line:
-- the keyword side reads the tsvector of every candidate row of the tenant.
ALTER TABLE knowledge_chunks SET (toast_tuple_target = 8160);
