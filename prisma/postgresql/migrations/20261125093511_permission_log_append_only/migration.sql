-- The permissions log is append-only: the database itself refuses to change or delete an entry.
CREATE FUNCTION "permission_log_is_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the permissions log is append-only';
END;
$$;

CREATE TRIGGER "PermissionLogEntry_no_update_or_delete"
BEFORE UPDATE OR DELETE ON "PermissionLogEntry"
FOR EACH ROW EXECUTE FUNCTION "permission_log_is_append_only"();

CREATE TRIGGER "PermissionLogEntry_no_truncate"
BEFORE TRUNCATE ON "PermissionLogEntry"
FOR EACH STATEMENT EXECUTE FUNCTION "permission_log_is_append_only"();
