// Relais uses its own PostgreSQL, never `prisma dev` (Prisma's local Postgres), whose streams
// server this package is; the real one needs Node.js 22.
export async function startLocalDurableStreamsServer() {
  throw new Error('prisma dev is not available in Relais: use the PostgreSQL of DATABASE_URL');
}
