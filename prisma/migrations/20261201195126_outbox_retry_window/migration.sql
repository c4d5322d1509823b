-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "firstFailedAt" DATETIME;
ALTER TABLE "OutboxMessage" ADD COLUMN "reportedAt" DATETIME;
