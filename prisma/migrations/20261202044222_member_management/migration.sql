-- CreateTable
CREATE TABLE "MemberSelection" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "adminId" INTEGER NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "connectionId" INTEGER,
    "invitationId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MemberSelection_adminId_fkey" FOREIGN KEY ("adminId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MemberSelection_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MemberSelection_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MemberSelection_invitationId_fkey" FOREIGN KEY ("invitationId") REFERENCES "Invitation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HomeTab" (
    "memberId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "section" TEXT NOT NULL DEFAULT 'access',
    "query" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "HomeTab_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "MemberSelection_adminId_organizationId_createdAt_idx" ON "MemberSelection"("adminId", "organizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MemberSelection_adminId_organizationId_connectionId_key" ON "MemberSelection"("adminId", "organizationId", "connectionId");

-- CreateIndex
CREATE UNIQUE INDEX "MemberSelection_adminId_organizationId_invitationId_key" ON "MemberSelection"("adminId", "organizationId", "invitationId");
