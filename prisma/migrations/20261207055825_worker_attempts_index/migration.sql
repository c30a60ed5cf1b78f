-- The workers page lists a worker's recent attempts: newest first along this index, read until
-- enough of them belong to runs of the viewer's team. An attempt's row is inserted once, when it
-- ends, and never updated, so the index adds one entry per ended attempt and no update ever
-- touches it. New entries of a worker land next to each other (its newest start times), on pages
-- already in memory. No run_id or status column: the team is read from the run, by its key.

-- CreateIndex
CREATE INDEX "task_attempts_worker_id_started_at_idx" ON "task_attempts"("worker_id", "started_at" DESC);
