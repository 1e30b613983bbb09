-- Usage reports (itl_adapters.postgres.usage_reports) sum a tenant's assistant messages over a
-- range of days; the transcript index (tenant_id, session_id, created_at, id) cannot serve a
-- range on created_at across sessions. Partial: user messages carry no usage.
CREATE INDEX messages_usage_idx ON messages (tenant_id, created_at) WHERE role = 'assistant';
