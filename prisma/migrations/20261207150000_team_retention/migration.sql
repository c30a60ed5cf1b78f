-- Per-team retention, applied by the scheduler's leader in small batches: log lines of runs that
-- finished more than log_retention_days ago (default 30), and whole finished runs (their tasks,
-- attempts and logs) after run_retention_days (default 90). NULL keeps them forever.
-- logs_pruned_finished_at and logs_pruned_run_id are where the log pruning has got to (by the
-- run's finished_at, then id), so a pass never reads the runs it has already emptied again.
-- Teams made before this keep their data by the new defaults too (NULL meant "not set").
-- (No semicolon in these comments: Prisma's engine splits the script at every one.)

-- AlterTable
ALTER TABLE "teams" ADD COLUMN "log_retention_days" INTEGER DEFAULT 30,
ADD COLUMN "logs_pruned_finished_at" TIMESTAMPTZ(3),
ADD COLUMN "logs_pruned_run_id" UUID,
ALTER COLUMN "run_retention_days" SET DEFAULT 90;

UPDATE "teams" SET "run_retention_days" = 90 WHERE "run_retention_days" IS NULL;
