// Preloaded into a child process (`node --import ./test/support/loadedPackagesPreload.mjs …`):
// when it exits, writes to LOADED_PACKAGES_FILE the npm packages it loaded through Node's
// CommonJS loader (ESM imports of CommonJS packages land there too), one name per line.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';

const require = createRequire(import.meta.url);
process.on('exit', () => {
  const names = new Set();
  for (const path of Object.keys(require.cache)) {
    const at = path.lastIndexOf('node_modules/');
    const match = at >= 0 ? /^((?:@[^/]+\/)?[^/]+)\//.exec(path.slice(at + 'node_modules/'.length)) : null;
    if (match) names.add(match[1]);
  }
  if (process.env.LOADED_PACKAGES_FILE) writeFileSync(process.env.LOADED_PACKAGES_FILE, [...names].sort().join('\n'));
});
