// Preloaded into a benchmarked process (`node --import ./bench/support/pgRoundTripCounter.mjs …`;
// plain JavaScript so the compiled build runs without tsx): counts every query sent to Postgres
// by node-postgres (each one is a network round trip: Prisma's driver adapter sends BEGIN, each
// statement and COMMIT as separate queries) and writes the running total to PG_ROUND_TRIPS_FILE
// four times a second.
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import pg from 'pg';

const file = process.env.PG_ROUND_TRIPS_FILE;
if (file) {
  let count = 0;
  const original = pg.Client.prototype.query;
  // wrap, keeping every overload of query(): we only count calls
  pg.Client.prototype.query = function countedQuery(...args) {
    count += 1;
    return Reflect.apply(original, this, args);
  };
  const flush = () => writeFileSync(file, String(count));
  flush();
  setInterval(flush, 250).unref();
}
