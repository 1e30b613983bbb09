-- Per-tenant indexes for knowledge search, instead of one HNSW graph and one GIN index shared by
-- every tenant.
--
-- Vectors. pgvector 0.6 has no iterative index scans: a filtered scan of a shared graph yields
-- hnsw.ef_search nearest chunks of ALL tenants and the tenant filter runs afterwards, so a tenant
-- owning 5% of the graph got about 5% of the candidates (measured recall@10 0.78 for the largest
-- tenant). A partial HNSW index per large tenant,
--     USING hnsw (embedding vector_cosine_ops) WHERE tenant_id = '<tenant>' AND indexed,
-- is used by the planner for that tenant's query (same predicate) and holds only its chunks:
-- nothing is filtered away, recall is the graph's own. ``PgVectorIndexer.ensure_tenant_index``
-- creates them (CREATE INDEX CONCURRENTLY, as the owner) once a tenant outgrows exact search;
-- smaller tenants are always searched exactly. ``indexed`` keeps its meaning (migration 0006):
-- the row is in its tenant's graph; new rows wait, unindexed, for ``PgVectorIndexer`` and are
-- searched exactly meanwhile.
DROP INDEX knowledge_chunks_embedding_idx;

-- Keywords. Under row-level security the planner may use an operator in an index condition only
-- if its function is LEAKPROOF (otherwise it must run after the policy's filter), and
-- ts_match_vq (tsvector @@ tsquery) is not marked so: the runtime role's keyword search never
-- used the shared GIN index, it read every row of the tenant (46 ms for 19,000 chunks). The
-- shared GIN index only cost ingestion time, so it goes. Large tenants get a partial GIN index
-- of their own (WHERE tenant_id = '<tenant>', with their HNSW index); small tenants read their
-- few rows.
DROP INDEX knowledge_chunks_search_idx;

-- ts_match_vq answers a boolean from its two arguments, raises no error that depends on the
-- values it reads, and has no side effects: it is leakproof in fact. Marking it so lets the
-- planner put "search @@ query" into a GIN index condition while RLS still filters every row
-- (the policy is unchanged; other tenants' rows are only tested against the query, never
-- returned). Only a superuser may mark a function LEAKPROOF: when migrations run as a plain
-- owner this step is skipped, search stays correct, and large tenants' keyword search reads all
-- their rows until a DBA runs the ALTER FUNCTION below (see README, Benchmarks).
DO $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;
    ELSE
        RAISE NOTICE 'not a superuser: ts_match_vq stays non-leakproof, keyword search of large '
                     'tenants will not use their GIN index';
    END IF;
END
$$;
