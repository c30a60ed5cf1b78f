-- Every browser session (an Auth.js JWT) carries the epoch its user had when it was signed in, and
-- a request whose token carries an older epoch is signed out. Bumping the epoch (a password change,
-- signing out everywhere, a removal from a team) ends every session of that user at once.
-- A constant default: Postgres 11+ adds the column without rewriting the table.
-- (No semicolon in these comments: Prisma's engine splits the script at every one.)

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "session_epoch" INTEGER NOT NULL DEFAULT 0;
