-- AlterTable
ALTER TABLE "AccessRequest" ADD COLUMN "inTriage" BOOLEAN NOT NULL DEFAULT false;

-- Requests already waiting with no Administrator to take them are the operators' to sort out.
UPDATE "AccessRequest" SET "inTriage" = true
WHERE "status" = 'PENDING'
  AND ("organizationId" IS NULL OR NOT EXISTS (
    SELECT 1 FROM "Connection" c JOIN "ConnectionPermission" p ON p."connectionId" = c."id"
    WHERE c."organizationId" = "AccessRequest"."organizationId" AND c."status" = 'ACTIVE'
      AND p."permissionKey" = 'administrator' AND c."memberId" <> "AccessRequest"."requesterId"));
