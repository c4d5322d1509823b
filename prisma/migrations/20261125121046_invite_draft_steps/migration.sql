-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_InviteDraft" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "organizationId" INTEGER NOT NULL,
    "authorId" INTEGER NOT NULL,
    "addresses" JSONB NOT NULL DEFAULT [],
    "invalidEntries" JSONB NOT NULL DEFAULT [],
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "permissions" JSONB NOT NULL DEFAULT [],
    "endsOn" TEXT,
    "tags" JSONB NOT NULL DEFAULT [],
    "personalMessage" TEXT,
    "language" TEXT NOT NULL DEFAULT 'en',
    "logNote" TEXT,
    "callerSupportLevel" TEXT,
    "callerLevel" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "InviteDraft_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "InviteDraft_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_InviteDraft" ("addresses", "authorId", "createdAt", "id", "organizationId", "updatedAt") SELECT "addresses", "authorId", "createdAt", "id", "organizationId", "updatedAt" FROM "InviteDraft";
DROP TABLE "InviteDraft";
ALTER TABLE "new_InviteDraft" RENAME TO "InviteDraft";
CREATE INDEX "InviteDraft_createdAt_idx" ON "InviteDraft"("createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
