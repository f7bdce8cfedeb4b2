-- StartInsight production indexes (TARGET.md; Alembic b010_add_production_indexes).
-- CONCURRENTLY cannot run inside a transaction, so every statement runs on its own.
-- An index whose table or column does not exist is skipped with that reason (insights.source).
-- preflight:no-transaction
-- preflight:skip-if-missing
-- preflight:lock-timeout 5s
-- preflight:statement-timeout 30min

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_subscription_tier ON users (subscription_tier);
-- users.email usually has a unique constraint already (users_email_key): a second unique index
-- would only slow writes, so this one is skipped when an equivalent index exists under any name.
-- preflight:skip-if-equivalent
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email ON users (email);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_deleted_at ON users (deleted_at);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_saved_insights_user_status ON saved_insights (user_id, status);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_interactions_insight_id ON insight_interactions (insight_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_interactions_type ON insight_interactions (interaction_type);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_interactions_user_id ON insight_interactions (user_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_custom_analyses_user_id ON custom_analyses (user_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_custom_analyses_status ON custom_analyses (status);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_research_requests_user_status ON research_requests (user_id, status);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_research_requests_status ON research_requests (status);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_insights_created_at ON insights (created_at);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_insights_source ON insights (source);
