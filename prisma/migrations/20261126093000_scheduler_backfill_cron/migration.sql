-- AlterTable
ALTER TABLE "backfills" ADD COLUMN     "cron" TEXT,
ADD COLUMN     "timezone" TEXT NOT NULL DEFAULT 'UTC';

-- CreateIndex (partial: the scheduler leader only looks for events whose fan-out is unfinished;
-- schema.prisma keeps the plain declaration with the same name and columns)
CREATE INDEX "events_processed_at_idx" ON "events"("processed_at") WHERE "processed_at" IS NULL;
