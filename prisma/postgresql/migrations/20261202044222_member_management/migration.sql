-- CreateTable
CREATE TABLE "MemberSelection" (
    "id" SERIAL NOT NULL,
    "adminId" INTEGER NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "connectionId" INTEGER,
    "invitationId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MemberSelection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HomeTab" (
    "memberId" INTEGER NOT NULL,
    "section" TEXT NOT NULL DEFAULT 'access',
    "query" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HomeTab_pkey" PRIMARY KEY ("memberId")
);

-- CreateIndex
CREATE INDEX "MemberSelection_adminId_organizationId_createdAt_idx" ON "MemberSelection"("adminId", "organizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MemberSelection_adminId_organizationId_connectionId_key" ON "MemberSelection"("adminId", "organizationId", "connectionId");

-- CreateIndex
CREATE UNIQUE INDEX "MemberSelection_adminId_organizationId_invitationId_key" ON "MemberSelection"("adminId", "organizationId", "invitationId");

-- AddForeignKey
ALTER TABLE "MemberSelection" ADD CONSTRAINT "MemberSelection_adminId_fkey" FOREIGN KEY ("adminId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberSelection" ADD CONSTRAINT "MemberSelection_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberSelection" ADD CONSTRAINT "MemberSelection_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberSelection" ADD CONSTRAINT "MemberSelection_invitationId_fkey" FOREIGN KEY ("invitationId") REFERENCES "Invitation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HomeTab" ADD CONSTRAINT "HomeTab_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
