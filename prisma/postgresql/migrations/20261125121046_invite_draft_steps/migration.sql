-- AlterTable
ALTER TABLE "InviteDraft" ADD COLUMN     "callerLevel" TEXT,
ADD COLUMN     "callerSupportLevel" "SupportLevel",
ADD COLUMN     "duplicates" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "endsOn" TEXT,
ADD COLUMN     "invalidEntries" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "language" TEXT NOT NULL DEFAULT 'en',
ADD COLUMN     "logNote" TEXT,
ADD COLUMN     "permissions" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "personalMessage" TEXT,
ADD COLUMN     "tags" JSONB NOT NULL DEFAULT '[]',
ALTER COLUMN "addresses" SET DEFAULT '[]';
