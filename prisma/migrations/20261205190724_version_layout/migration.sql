-- The web editor's node positions, kept with each version but outside its definition (and its
-- content hash): moving nodes updates this column in place and never creates a version.
-- Nullable without a default, so adding it rewrites no rows.

-- AlterTable
ALTER TABLE "workflow_versions" ADD COLUMN     "layout" JSONB;
