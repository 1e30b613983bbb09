-- Widget visitors find their own sessions (the transcript of a known visitor across devices):
-- the visitor's sessions of a tenant in keyset order, without scanning the tenant's others.
CREATE INDEX chat_sessions_visitor_idx ON chat_sessions (tenant_id, visitor_id, created_at, id)
    WHERE visitor_id IS NOT NULL;
