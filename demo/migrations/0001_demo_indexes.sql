-- The sample API's production index (profiles/demo.yaml expects it; `npx preflight demo`
-- applies this folder at start). CONCURRENTLY cannot run inside a transaction.
-- preflight:no-transaction
-- preflight:lock-timeout 5s
-- preflight:statement-timeout 5min

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_insights_created_at ON insights (created_at);
