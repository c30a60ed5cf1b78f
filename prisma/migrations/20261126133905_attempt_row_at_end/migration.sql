-- An attempt's row is written once, when the attempt ends, instead of inserted at the claim and
-- updated at the end. While a task is running, its open attempt (id, worker, start) lives on the
-- task's own row, which the claim updates anyway. Readers see both through the view
-- task_attempts_all. Log chunks name the attempt from its first line, before its row exists, so
-- their foreign key to task_attempts goes (the task run's key still cascades them).

-- DropForeignKey
ALTER TABLE "log_chunks" DROP CONSTRAINT "log_chunks_attempt_id_fkey";

-- Never written after the claim, never read.
ALTER TABLE "task_attempts" DROP COLUMN "heartbeat_at",
DROP COLUMN "timeout_at";

-- AlterTable
ALTER TABLE "task_runs" ADD COLUMN     "attempt_id" UUID,
ADD COLUMN     "attempt_started_at" TIMESTAMPTZ(3),
ADD COLUMN     "worker_id" UUID;

-- Attempts open at the upgrade move onto their tasks (a running task's open attempt is its latest).
UPDATE "task_runs" t
   SET "attempt_id" = a."id", "worker_id" = a."worker_id", "attempt_started_at" = a."started_at"
  FROM "task_attempts" a
 WHERE a."task_run_id" = t."id" AND a."attempt_number" = t."attempt_count"
   AND a."status" = 'running' AND t."status" = 'running';
DELETE FROM "task_attempts" a
 USING "task_runs" t
 WHERE a."task_run_id" = t."id" AND a."status" = 'running' AND t."attempt_id" = a."id";

-- Rows are no longer updated: pages can be filled.
ALTER TABLE "task_attempts" RESET (fillfactor);

-- Every attempt: the ended ones, and the open attempt of each running task.
CREATE VIEW "task_attempts_all" AS
  SELECT "id", "task_run_id", "run_id", "attempt_number", "worker_id", "status", "started_at",
         "finished_at", "exit_code", "http_status", "error", "output", "log_bytes", "log_lines",
         "log_truncated"
    FROM "task_attempts"
  UNION ALL
  SELECT "attempt_id", "id", "run_id", "attempt_count", "worker_id", 'running'::"AttemptStatus",
         "attempt_started_at", NULL, NULL, NULL, NULL, NULL, 0, 0, false
    FROM "task_runs"
   WHERE "status" = 'running' AND "attempt_id" IS NOT NULL;
