-- Rows of the engine's hot path are updated in place (HOT: no new index entries) when no indexed
-- column changes and their page has room.

-- An attempt's status is no longer indexed: closing an attempt changes only unindexed columns. The
-- lost-worker reaper finds running attempts through the running tasks instead (task_runs keeps its
-- partial status index).
DROP INDEX IF EXISTS "task_attempts_status_heartbeat_at_idx";

-- Room on each page for the next version of a row: an attempt is written twice (claim, end), a
-- run's counters change with every batch of completions.
ALTER TABLE "task_attempts" SET (fillfactor = 70);
ALTER TABLE "workflow_runs" SET (fillfactor = 50);
