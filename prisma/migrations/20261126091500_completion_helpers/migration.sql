-- Aborts the statement that calls it with SQLSTATE DT001. The one-statement task completion
-- (packages/db/src/operations/runs/oneStatementCompletion.ts) calls it when skips would cascade
-- further than one level, which a single statement cannot follow: the whole statement is undone
-- and the caller completes the task with its multi-statement transaction instead.
-- The body's semicolon is written \073 because Prisma's migration engine splits scripts at every
-- semicolon, even inside a function body.
CREATE FUNCTION dtss_abort(reason text) RETURNS boolean LANGUAGE plpgsql
  AS E'BEGIN RAISE EXCEPTION USING ERRCODE = ''DT001'', MESSAGE = reason\073 END';
