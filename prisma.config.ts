// The Prisma CLI's configuration (Prisma 7 reads it from here, the project root), for running the
// CLI itself where it can fetch its schema engine, e.g. `npx prisma migrate deploy`. Gatehouse
// never needs it at run time: the server and `gatehouse db migrate` migrate through the WebAssembly
// schema engine (src/db/migrations.ts), and `prisma generate` (the postinstall) reads only the
// schema's generators.
//
// The database is the one the app uses: DATABASE_URL from the environment or the project's .env,
// read and checked by the app's own config schema, with the same default and the same rule for a
// relative SQLite path (relative to the project root). Its provider picks the schema and the
// committed migrations: prisma/ for SQLite, prisma/postgresql/ for PostgreSQL.
import { defineConfig } from 'prisma/config';
import { loadDatabaseConfig, readProcessEnvironment } from './src/config/env.js';
import { parseDatabaseUrl } from './src/db/database-url.js';
import { MIGRATION_DIRS, SCHEMA_FILES } from './src/db/paths.js';

const database = parseDatabaseUrl(loadDatabaseConfig(readProcessEnvironment()).DATABASE_URL);

export default defineConfig({
  schema: SCHEMA_FILES[database.provider],
  migrations: { path: MIGRATION_DIRS[database.provider] },
  datasource: {
    url: database.provider === 'sqlite' && database.filePath !== ':memory:' ? `file:${database.filePath}` : database.url,
  },
});
