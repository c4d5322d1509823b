-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN "startsOn" TEXT;

-- AlterTable
ALTER TABLE "InviteDraft" ADD COLUMN "startsOn" TEXT;
