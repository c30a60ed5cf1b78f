-- A task's row is updated by its claim and its completion. While an index mentions a column such
-- an update changes (status was in two partial indexes), every update adds an entry to each of the
-- table's indexes. Without them, and with room left on each page (fillfactor 40: a batch may update every row of a page at once),
-- the updates are HOT (in place).
-- Measured: ~7 % more tasks per second, ~9 % less Postgres CPU per task.
-- Their two readers move: running tasks are found through running runs (the reaper, once per lost
-- worker, see workers.swept_at), and a limited pool's busy slots are counted in pool_leases.
DROP INDEX IF EXISTS "task_runs_status_pool_idx";
DROP INDEX IF EXISTS "task_runs_status_next_attempt_at_idx";
ALTER TABLE "task_runs" SET (fillfactor = 40);

-- AlterTable
ALTER TABLE "workers" ADD COLUMN     "swept_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "pool_leases" (
    "task_run_id" UUID NOT NULL,
    "pool" TEXT NOT NULL,
    "attempt_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pool_leases_pkey" PRIMARY KEY ("task_run_id")
);

-- CreateIndex
CREATE INDEX "pool_leases_pool_idx" ON "pool_leases"("pool");

-- AddForeignKey
ALTER TABLE "pool_leases" ADD CONSTRAINT "pool_leases_task_run_id_fkey" FOREIGN KEY ("task_run_id") REFERENCES "task_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tasks of limited pools running at the upgrade hold their slots.
INSERT INTO "pool_leases" ("task_run_id", "pool", "attempt_id")
SELECT t."id", t."pool", t."attempt_id"
  FROM "task_runs" t JOIN "pools" p ON p."name" = t."pool"
 WHERE p."slots" IS NOT NULL AND t."status" = 'running' AND t."attempt_id" IS NOT NULL;
