-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN "scope" JSONB;
