// Preloaded into a benchmarked process (`node --import tsx --import ./bench/support/pgRoundTripCounter.ts …`):
// counts every query sent to Postgres by node-postgres (each one is a network round trip:
// Prisma's driver adapter sends BEGIN, each statement and COMMIT as separate queries) and
// writes the running total to PG_ROUND_TRIPS_FILE four times a second.
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import pg from 'pg';

const file = process.env.PG_ROUND_TRIPS_FILE;
if (file) {
  let count = 0;
  const original = pg.Client.prototype.query;
  // wrap, keeping every overload of query(): we only count calls
  pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: Parameters<typeof original>) {
    count += 1;
    return Reflect.apply(original, this, args);
  } as typeof original; // the wrapper has the same overloads as the original (it forwards its arguments)
  const flush = () => writeFileSync(file, String(count));
  flush();
  setInterval(flush, 250).unref();
}
