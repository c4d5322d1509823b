-- The permissions log is append-only: the database itself refuses to change or delete an entry.
CREATE TRIGGER "PermissionLogEntry_no_update" BEFORE UPDATE ON "PermissionLogEntry"
BEGIN
  SELECT RAISE(ABORT, 'the permissions log is append-only');
END;

CREATE TRIGGER "PermissionLogEntry_no_delete" BEFORE DELETE ON "PermissionLogEntry"
BEGIN
  SELECT RAISE(ABORT, 'the permissions log is append-only');
END;
