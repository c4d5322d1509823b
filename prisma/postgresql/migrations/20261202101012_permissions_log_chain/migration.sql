-- AlterTable
ALTER TABLE "PermissionLogEntry" ADD COLUMN     "aboutCaller" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "chain" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "hash" TEXT,
ADD COLUMN     "permissionKeys" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "previousHash" TEXT,
ADD COLUMN     "sequence" INTEGER;

-- CreateTable
CREATE TABLE "AdminContact" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdminContact_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AdminContact_memberId_createdAt_idx" ON "AdminContact"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "PermissionLogEntry_actorId_createdAt_idx" ON "PermissionLogEntry"("actorId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PermissionLogEntry_chain_sequence_key" ON "PermissionLogEntry"("chain", "sequence");

-- AddForeignKey
ALTER TABLE "AdminContact" ADD CONSTRAINT "AdminContact_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdminContact" ADD CONSTRAINT "AdminContact_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Entries written before the chain existed are chained once, by `db migrate` (src/db/log-chain-backfill.ts):
-- an entry without a hash may be given its chain columns, and nothing else about it may change.
-- Deleting and truncating stay refused.
CREATE OR REPLACE FUNCTION "permission_log_is_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."hash" IS NULL
    AND NEW."id" = OLD."id"
    AND NEW."organizationId" IS NOT DISTINCT FROM OLD."organizationId"
    AND NEW."actorId" IS NOT DISTINCT FROM OLD."actorId"
    AND NEW."actorLabel" IS NOT DISTINCT FROM OLD."actorLabel"
    AND NEW."subjectMemberId" IS NOT DISTINCT FROM OLD."subjectMemberId"
    AND NEW."subjectEmail" IS NOT DISTINCT FROM OLD."subjectEmail"
    AND NEW."action" = OLD."action"
    AND NEW."before"::text IS NOT DISTINCT FROM OLD."before"::text
    AND NEW."after"::text IS NOT DISTINCT FROM OLD."after"::text
    AND NEW."note" IS NOT DISTINCT FROM OLD."note"
    AND NEW."createdAt" = OLD."createdAt"
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the permissions log is append-only';
END;
$$;
