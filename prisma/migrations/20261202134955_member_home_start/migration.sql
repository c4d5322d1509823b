-- A plain ADD COLUMN rather than the generated table rebuild: the column has a constant default, which SQLite adds in place.
ALTER TABLE "Member" ADD COLUMN "homeStart" TEXT NOT NULL DEFAULT 'last';
