-- AlterTable
ALTER TABLE "OutboxMessage" ALTER COLUMN "payload" SET DATA TYPE TEXT;
