-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "homeStart" TEXT NOT NULL DEFAULT 'last';
