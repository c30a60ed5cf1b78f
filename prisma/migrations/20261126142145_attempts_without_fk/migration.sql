-- Every attempt row is written from its task's row, in the statement that ends the attempt, so
-- the foreign key's check (a lookup and a share lock of the task row per attempt) proved nothing
-- and cost time on every completion. What the key also did, delete a deleted task's attempts
-- (run retention, team deletion), a statement-level trigger does: once per statement.

-- DropForeignKey
ALTER TABLE "task_attempts" DROP CONSTRAINT "task_attempts_task_run_id_fkey";

-- The body's semicolon is written \073: the migration runner splits scripts at every semicolon.
CREATE FUNCTION dtss_delete_task_attempts() RETURNS trigger LANGUAGE plpgsql
  AS E'BEGIN DELETE FROM task_attempts a USING deleted_tasks d WHERE a.task_run_id = d.id\073 RETURN NULL\073 END';

CREATE TRIGGER task_runs_delete_attempts AFTER DELETE ON task_runs
  REFERENCING OLD TABLE AS deleted_tasks
  FOR EACH STATEMENT EXECUTE FUNCTION dtss_delete_task_attempts();
