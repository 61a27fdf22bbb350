// Part of `npm run build`: copies the files the compiled code reads at run time next to it in
// dist/, at the same relative place as in the source tree (code finds them with
// `new URL('…', import.meta.url)`). Add any new run-time file (templates, fonts…) here.
import { cpSync, existsSync, rmSync } from 'node:fs';

const ASSETS = [
  ['locales', 'dist/locales'],
  ['staff-locales', 'dist/staff-locales'],
  ['prisma/migrations', 'dist/prisma/migrations'],
  ['src/bots/web/public', 'dist/src/bots/web/public'],
  ['src/core/places/data', 'dist/src/core/places/data'],
];

for (const [from, to] of ASSETS) {
  if (!existsSync(from)) throw new Error(`build asset missing: ${from}`);
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
}
console.log(`copied ${ASSETS.map(([from]) => from).join(', ')} into dist/`);
