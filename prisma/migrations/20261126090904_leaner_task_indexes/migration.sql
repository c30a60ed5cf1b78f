-- DropIndex
DROP INDEX "task_runs_run_id_status_idx";

-- Every status change of a task rewrites each index that mentions status (no HOT update), so the
-- status indexes only cover the few rows their queries look for. Prisma's schema cannot spell a
-- partial index, so schema.prisma keeps the plain declaration (same name and columns), which its
-- diff treats as equal.
DROP INDEX "task_runs_status_pool_idx";
CREATE INDEX "task_runs_status_pool_idx" ON "task_runs"("status", "pool")
  WHERE "status" IN ('queued', 'running');

DROP INDEX "task_runs_status_next_attempt_at_idx";
CREATE INDEX "task_runs_status_next_attempt_at_idx" ON "task_runs"("status", "next_attempt_at")
  WHERE "status" = 'retry_wait';

DROP INDEX "task_attempts_status_heartbeat_at_idx";
CREATE INDEX "task_attempts_status_heartbeat_at_idx" ON "task_attempts"("status", "heartbeat_at")
  WHERE "status" = 'running';
