-- Chat sessions and their messages. A message references its session by (tenant_id, id), so
-- it can never point at another tenant's session (foreign-key checks bypass RLS).
-- agent_id / user_id are historical labels, not foreign keys: a transcript outlives its agent.

CREATE TABLE chat_sessions (
    id          text COLLATE "C" PRIMARY KEY,
    tenant_id   text COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    channel     text NOT NULL,
    status      text NOT NULL,
    user_id     text COLLATE "C",
    visitor_id  text,
    agent_id    text COLLATE "C",
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    CONSTRAINT chat_sessions_tenant_id_id_key UNIQUE (tenant_id, id)
);
CREATE INDEX chat_sessions_keyset_idx ON chat_sessions (tenant_id, created_at, id);
ALTER TABLE chat_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE chat_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON chat_sessions
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'platform')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
                OR current_setting('app.scope', true) = 'platform');

CREATE TABLE messages (
    id          text COLLATE "C" PRIMARY KEY,
    tenant_id   text COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    session_id  text COLLATE "C" NOT NULL,
    role        text NOT NULL,
    content     text NOT NULL,
    status      text NOT NULL,
    agent_id    text COLLATE "C",
    metadata    jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL,
    CONSTRAINT messages_session_fkey FOREIGN KEY (tenant_id, session_id)
        REFERENCES chat_sessions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX messages_keyset_idx ON messages (tenant_id, session_id, created_at, id);
-- The start-up reaper looks only for in-flight streams.
CREATE INDEX messages_pending_idx ON messages (id) WHERE status = 'pending';
ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON messages
    USING (tenant_id = current_setting('app.tenant_id', true)
           OR current_setting('app.scope', true) = 'platform')
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true)
                OR current_setting('app.scope', true) = 'platform');

GRANT SELECT, INSERT, UPDATE, DELETE ON chat_sessions, messages TO itl_runtime;
