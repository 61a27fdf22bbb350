// The database clients, built in core/db (the only place, with the `*Sql.ts` files, that
// knows node-postgres): Prisma for the domain services, the pool for hand-written statements.
export { createDb, createPool, type Db, type DbOptions, type Tx } from './db/clients.js';
