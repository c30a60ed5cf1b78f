-- Dashboards over days (metrics.ts): task and run figures per team and hour (and runs per day),
-- rolled up once the hour has closed, so a 30-day dashboard reads thousands of rows instead of a
-- million task rows (task_runs has no time index, by design), and runs read by when they were
-- created or ended from the index alone. finished_at, status and started_at change together with
-- status, which is indexed already: these indexes add no update that could otherwise have stayed
-- on its page.

-- DropIndex
DROP INDEX "workflow_runs_team_id_created_at_idx";

-- CreateTable
CREATE TABLE "metrics_task_hours" (
    "team_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "pool" TEXT NOT NULL,
    "tasks_succeeded" INTEGER NOT NULL DEFAULT 0,
    "tasks_failed" INTEGER NOT NULL DEFAULT 0,
    "tasks_ended" INTEGER NOT NULL DEFAULT 0,
    "tasks_started" INTEGER NOT NULL DEFAULT 0,
    "wait_histogram" JSONB NOT NULL DEFAULT '{}',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "metrics_task_hours_pkey" PRIMARY KEY ("team_id","hour","pool")
);

-- CreateTable
CREATE TABLE "metrics_run_hours" (
    "team_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "workflow_id" UUID NOT NULL,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "timed_out" INTEGER NOT NULL DEFAULT 0,
    "cancelled" INTEGER NOT NULL DEFAULT 0,
    "started" INTEGER NOT NULL DEFAULT 0,
    "duration_histogram" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "metrics_run_hours_pkey" PRIMARY KEY ("team_id","hour","workflow_id")
);

-- CreateTable
CREATE TABLE "metrics_run_days" (
    "team_id" UUID NOT NULL,
    "day" TIMESTAMPTZ(3) NOT NULL,
    "workflow_id" UUID NOT NULL,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "timed_out" INTEGER NOT NULL DEFAULT 0,
    "cancelled" INTEGER NOT NULL DEFAULT 0,
    "started" INTEGER NOT NULL DEFAULT 0,
    "duration_histogram" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "metrics_run_days_pkey" PRIMARY KEY ("team_id","day","workflow_id")
);

-- CreateTable
CREATE TABLE "metrics_rollup" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "rolled_until" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metrics_rollup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "workflow_runs_team_id_created_at_status_idx" ON "workflow_runs"("team_id", "created_at" DESC, "status");

-- CreateIndex
CREATE INDEX "workflow_runs_team_id_finished_at_status_started_at_workflo_idx" ON "workflow_runs"("team_id", "finished_at", "status", "started_at", "workflow_id", "created_at");

-- AddForeignKey
ALTER TABLE "metrics_task_hours" ADD CONSTRAINT "metrics_task_hours_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metrics_run_hours" ADD CONSTRAINT "metrics_run_hours_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metrics_run_hours" ADD CONSTRAINT "metrics_run_hours_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metrics_run_days" ADD CONSTRAINT "metrics_run_days_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metrics_run_days" ADD CONSTRAINT "metrics_run_days_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;
