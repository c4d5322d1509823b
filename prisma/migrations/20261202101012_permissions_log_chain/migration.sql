-- The hash chain of the permissions log, and what the log's filters read. Columns are added in place
-- rather than by copying the table, so the append-only triggers stay and a large log migrates fast.
ALTER TABLE "PermissionLogEntry" ADD COLUMN "chain" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "PermissionLogEntry" ADD COLUMN "sequence" INTEGER;
ALTER TABLE "PermissionLogEntry" ADD COLUMN "previousHash" TEXT;
ALTER TABLE "PermissionLogEntry" ADD COLUMN "hash" TEXT;
ALTER TABLE "PermissionLogEntry" ADD COLUMN "permissionKeys" TEXT NOT NULL DEFAULT '';
ALTER TABLE "PermissionLogEntry" ADD COLUMN "aboutCaller" BOOLEAN NOT NULL DEFAULT false;

CREATE INDEX "PermissionLogEntry_actorId_createdAt_idx" ON "PermissionLogEntry"("actorId", "createdAt");
CREATE UNIQUE INDEX "PermissionLogEntry_chain_sequence_key" ON "PermissionLogEntry"("chain", "sequence");

-- Entries written before the chain existed are chained once, by `db migrate` (src/db/log-chain-backfill.ts):
-- an entry without a hash may be given its chain columns, and nothing else about it may change.
DROP TRIGGER "PermissionLogEntry_no_update";
CREATE TRIGGER "PermissionLogEntry_no_update" BEFORE UPDATE ON "PermissionLogEntry"
WHEN OLD."hash" IS NOT NULL
  OR NEW."id" IS NOT OLD."id"
  OR NEW."organizationId" IS NOT OLD."organizationId"
  OR NEW."actorId" IS NOT OLD."actorId"
  OR NEW."actorLabel" IS NOT OLD."actorLabel"
  OR NEW."subjectMemberId" IS NOT OLD."subjectMemberId"
  OR NEW."subjectEmail" IS NOT OLD."subjectEmail"
  OR NEW."action" IS NOT OLD."action"
  OR NEW."before" IS NOT OLD."before"
  OR NEW."after" IS NOT OLD."after"
  OR NEW."note" IS NOT OLD."note"
  OR NEW."createdAt" IS NOT OLD."createdAt"
BEGIN
  SELECT RAISE(ABORT, 'the permissions log is append-only');
END;

-- CreateTable
CREATE TABLE "AdminContact" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "memberId" INTEGER NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AdminContact_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AdminContact_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "AdminContact_memberId_createdAt_idx" ON "AdminContact"("memberId", "createdAt");
