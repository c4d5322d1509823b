-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "firstFailedAt" TIMESTAMP(3),
ADD COLUMN     "reportedAt" TIMESTAMP(3);
