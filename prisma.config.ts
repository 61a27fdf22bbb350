import { defineConfig } from 'prisma/config';

// The Prisma CLI is only used to generate the client here; migrations are applied by
// `npm run db:migrate` (WebAssembly schema engine, see docs/ARCHITECTURE.md). People with
// internet access can still run `prisma migrate deploy` against the same folder.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/relais' },
});
