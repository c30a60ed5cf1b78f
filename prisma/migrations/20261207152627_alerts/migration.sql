-- Alerts (issue 15 §3): rules of every kind (run failed or recovered, task retries, SLA deadlines,
-- lost workers, pools without workers), declared in a workflow file or made through the API, name
-- their channels. Incidents are opened once per incident (open_key is unique while open, cause_key
-- per rule) and each message to a channel is a delivery with its attempts (a test message has
-- no incident and no rule).
-- Nothing wrote these tables before (no code used them), so they are emptied before the new
-- required columns are added.
-- (No semicolon in these comments: Prisma's engine splits the script at every one.)

DELETE FROM "alert_deliveries";
DELETE FROM "alert_rules";

-- CreateEnum
CREATE TYPE "AlertRuleKind" AS ENUM ('run_failed', 'run_recovered', 'task_retries', 'deadline', 'worker_lost', 'pool_starved');

-- CreateEnum
CREATE TYPE "AlertRuleSource" AS ENUM ('definition', 'api');

-- CreateEnum
CREATE TYPE "AlertDeliveryEvent" AS ENUM ('opened', 'resolved', 'test');

-- DropForeignKey
ALTER TABLE "alert_deliveries" DROP CONSTRAINT "alert_deliveries_run_id_fkey";

-- DropForeignKey
ALTER TABLE "alert_rules" DROP CONSTRAINT "alert_rules_channel_id_fkey";

-- DropIndex
DROP INDEX "alert_rules_channel_id_idx";

-- AlterTable
ALTER TABLE "alert_deliveries" ADD COLUMN     "attempt_log" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "event" "AlertDeliveryEvent" NOT NULL DEFAULT 'opened',
ADD COLUMN     "incident_id" UUID,
ADD COLUMN     "next_attempt_at" TIMESTAMPTZ(3) DEFAULT CURRENT_TIMESTAMP,
ALTER COLUMN "rule_id" DROP NOT NULL;

-- AlterTable
ALTER TABLE "alert_rules" DROP COLUMN "channel_id",
DROP COLUMN "run_statuses",
ADD COLUMN     "channel_names" TEXT[],
ADD COLUMN     "config" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "kind" "AlertRuleKind" NOT NULL,
ADD COLUMN     "source" "AlertRuleSource" NOT NULL DEFAULT 'api';

-- CreateTable
CREATE TABLE "alert_incidents" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "team_id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "kind" "AlertRuleKind" NOT NULL,
    "key" TEXT NOT NULL,
    "open_key" TEXT,
    "cause_key" TEXT,
    "workflow_id" UUID,
    "run_id" UUID,
    "title" TEXT NOT NULL,
    "details" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "resolution" TEXT,

    CONSTRAINT "alert_incidents_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "alert_incidents_open_key_key" ON "alert_incidents"("open_key");

-- CreateIndex
CREATE INDEX "alert_incidents_team_id_opened_at_idx" ON "alert_incidents"("team_id", "opened_at" DESC);

-- CreateIndex
CREATE INDEX "alert_incidents_run_id_idx" ON "alert_incidents"("run_id");

-- CreateIndex
CREATE UNIQUE INDEX "alert_incidents_rule_id_cause_key_key" ON "alert_incidents"("rule_id", "cause_key");

-- CreateIndex
CREATE INDEX "alert_deliveries_status_next_attempt_at_idx" ON "alert_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_deliveries_incident_id_channel_id_event_key" ON "alert_deliveries"("incident_id", "channel_id", "event");

-- CreateIndex
CREATE UNIQUE INDEX "alert_rules_team_id_workflow_id_name_key" ON "alert_rules"("team_id", "workflow_id", "name");

-- AddForeignKey
ALTER TABLE "alert_incidents" ADD CONSTRAINT "alert_incidents_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_incidents" ADD CONSTRAINT "alert_incidents_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_incidents" ADD CONSTRAINT "alert_incidents_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "workflow_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "alert_incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "workflow_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
