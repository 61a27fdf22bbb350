import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The layout's rules (docs/ARCHITECTURE.md), read from the source tree: no database, no
// network, no module of src loaded. Each rule names the files that break it.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

/**
 * Files that still hold hand-written SQL outside `src/core/db` and `*Sql.ts` while their
 * statements move to a `<domain>Sql.ts` beside their service (work in flight on other branches;
 * empty it as they merge). A listed file that no longer offends fails the test, so the list
 * cannot go stale.
 */
const PENDING_SQL_MOVES: readonly string[] = [];

/** Each platform SDK and the only adapter that may import it. */
const PLATFORM_SDKS: ReadonlyArray<{ pattern: RegExp; adapter: string }> = [
  { pattern: /^grammy($|\/)|^@grammyjs\//, adapter: 'telegram' },
  { pattern: /^@slack\//, adapter: 'slack' },
  { pattern: /^whatsapp-web\.js($|\/)|^puppeteer(-core)?($|\/)/, adapter: 'whatsapp' },
];

/** Modules that do I/O (or open connections) when loaded or used: a flow must not reach them. */
const IO_PACKAGES = /^(pg|pg-[\w-]+|ioredis|bullmq|@prisma\/.*|prisma|fastify|@fastify\/.*|pino|undici)$/;
const IO_PLATFORMS = /^(grammy|@slack\/.*|whatsapp-web\.js|puppeteer(-core)?)$/;
const IO_BUILTINS = /^(node:)?(net|https?|http2|dgram|tls|dns|child_process|cluster|worker_threads|fs|fs\/promises)$/u;
/** A Prisma call through the client (`.db.$transaction`, `.db.<model>.find…`/`create…`/…). */
const PRISMA_CALL =
  /\.db\.(\$transaction|[a-z][A-Za-z]*\.(find|create|update|delete|upsert|count|aggregate|groupBy)[A-Za-z]*)\b/g;
const isIoModule = (specifier: string) =>
  [IO_PACKAGES, IO_PLATFORMS, IO_BUILTINS].some((pattern) => pattern.test(specifier));

/** Where Postgres may be reached directly: the db module and the `<domain>Sql.ts` files. */
const isSqlHome = (file: string) =>
  file === 'src/core/db.ts' || file.startsWith('src/core/db/') || file.endsWith('Sql.ts');

interface ImportEdge {
  /** as written */
  specifier: string;
  /** the file it resolves to (relative to the repository), for imports of our own modules */
  target: string | undefined;
  /** erased by the compiler (`import type`, or only `type` names): loads nothing at run time */
  typeOnly: boolean;
}

interface SourceFile {
  path: string;
  text: string;
  imports: ImportEdge[];
}

function listSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'generated' && dir === SRC ? [] : listSources(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(join(ROOT, from)), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts'), base];
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  return found ? relative(ROOT, found) : undefined;
}

function importsOf(path: string, text: string): ImportEdge[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean) =>
    edges.push({ specifier, target: resolveImport(path, specifier), typeOnly });
  const allTypes = (elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier> | undefined) =>
    elements !== undefined && elements.length > 0 && elements.every((e) => e.isTypeOnly);
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const named = bindings && ts.isNamedImports(bindings) ? bindings.elements : undefined;
      add(node.moduleSpecifier.text, clause !== undefined && (clause.isTypeOnly || (!clause.name && allTypes(named))));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(node.moduleSpecifier.text, node.isTypeOnly || allTypes(named));
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteral(argument)) add(argument.text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** The source tree, parsed once. */
function readTree(): Map<string, SourceFile> {
  const tree = new Map<string, SourceFile>();
  for (const full of listSources(SRC)) {
    const path = relative(ROOT, full);
    const text = readFileSync(full, 'utf8');
    tree.set(path, { path, text, imports: importsOf(path, text) });
  }
  return tree;
}

const tree = readTree();
const files = [...tree.values()];
const adapterOf = (path: string) => /^src\/bots\/([^/]+)\//.exec(path)?.[1];

/** "file → import" lines for every import that breaks `broken`. */
function offendingImports(
  select: (file: SourceFile) => boolean,
  broken: (edge: ImportEdge, file: SourceFile) => boolean,
): string[] {
  return files.filter(select).flatMap((file) => {
    const broke = file.imports.filter((edge) => broken(edge, file));
    return broke.map((edge) => `${file.path} → ${edge.specifier}`);
  });
}

/** What makes a file reach Postgres directly; empty when nothing does. */
function sqlUses(file: SourceFile): string[] {
  const uses: string[] = [];
  if (file.imports.some((e) => e.specifier === 'pg' || e.specifier.startsWith('pg/'))) uses.push("imports 'pg'");
  if (file.imports.some((e) => e.target === 'src/core/db/sqlRunner.ts')) uses.push('imports the SQL runner');
  if (/\bSqlRunner\b/.test(file.text)) uses.push('names SqlRunner');
  const raw = file.text.match(/\$(queryRaw|executeRaw)(Unsafe)?\b/g);
  if (raw) uses.push(`calls ${[...new Set(raw)].join(', ')}`);
  return uses;
}

/**
 * The chain of run-time imports from `start` to the first I/O module it reaches, or undefined.
 * Type-only imports load nothing and are not followed.
 */
function ioChain(start: string): string[] | undefined {
  const seen = new Set<string>([start]);
  const queue: Array<{ path: string; chain: string[] }> = [{ path: start, chain: [start] }];
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const edge of tree.get(next.path)?.imports ?? []) {
      if (edge.typeOnly) continue;
      if (!edge.target) {
        if (isIoModule(edge.specifier)) return [...next.chain, edge.specifier];
        continue;
      }
      if (seen.has(edge.target)) continue;
      seen.add(edge.target);
      queue.push({ path: edge.target, chain: [...next.chain, edge.target] });
    }
  }
  return undefined;
}

describe('architecture', () => {
  it('reads the whole source tree', () => {
    expect(files.length).toBeGreaterThan(200);
    expect(tree.has('src/relais.ts')).toBe(true);
  });

  it('core imports nothing from flows or bots, not even a type: the arrows point inward', () => {
    const offending = offendingImports(
      (file) => file.path.startsWith('src/core/'),
      (edge) => edge.target?.startsWith('src/flows/') === true || edge.target?.startsWith('src/bots/') === true,
    );
    const hint = 'core must reach flows through the TurnEngine port (src/core/conversation/turnEngine.ts)';
    expect(offending, hint).toEqual([]);
  });

  it('a flow imports nothing from the channel adapters', () => {
    const offending = offendingImports(
      (file) => file.path.startsWith('src/flows/'),
      (edge) => edge.target?.startsWith('src/bots/') === true,
    );
    expect(offending).toEqual([]);
  });

  it('a channel adapter imports no other adapter', () => {
    const offending = offendingImports(
      (file) => adapterOf(file.path) !== undefined,
      (edge, file) => {
        const target = edge.target === undefined ? undefined : adapterOf(edge.target);
        return target !== undefined && target !== adapterOf(file.path);
      },
    );
    expect(offending, 'what two channels share belongs in core or flows').toEqual([]);
  });

  it('a platform SDK is imported only by its own adapter', () => {
    const offending = offendingImports(
      () => true,
      (edge, file) =>
        PLATFORM_SDKS.some((sdk) => sdk.pattern.test(edge.specifier) && adapterOf(file.path) !== sdk.adapter),
    );
    expect(offending).toEqual([]);
  });

  it('Postgres is reached directly (pg, SqlRunner, $queryRaw, $executeRaw) only from core/db and *Sql.ts', () => {
    const offending = files
      .filter((file) => !isSqlHome(file.path) && !PENDING_SQL_MOVES.includes(file.path))
      .flatMap((file) => sqlUses(file).map((use) => `${file.path} ${use}`));
    expect(offending, 'move the statement into a <domain>Sql.ts beside its service').toEqual([]);
  });

  it('the Slack app reads and writes through core services and read models, never Prisma', () => {
    const offending = files
      .filter((file) => file.path.startsWith('src/bots/slack/'))
      .flatMap((file) => {
        const uses: string[] = [];
        if (file.imports.some((e) => e.target?.startsWith('src/generated/') === true))
          uses.push('imports the Prisma client');
        const calls = file.text.match(PRISMA_CALL);
        if (calls) uses.push(`calls ${[...new Set(calls)].join(', ')}`);
        return uses.map((use) => `${file.path} ${use}`);
      });
    expect(offending, 'put the query in a core service or read model and call that').toEqual([]);
  });

  it('every file waiting for its SQL to move still has some (remove it from PENDING_SQL_MOVES once moved)', () => {
    const moved = PENDING_SQL_MOVES.filter((path) => {
      const file = tree.get(path);
      return !file || sqlUses(file).length === 0;
    });
    expect(moved).toEqual([]);
  });

  it('no flow module pulls in I/O when loaded, even through the modules it imports', () => {
    const offending = files
      .filter((file) => file.path.startsWith('src/flows/'))
      .flatMap((file) => {
        const chain = ioChain(file.path);
        return chain ? [chain.join(' → ')] : [];
      });
    const hint = 'flows are pure: what they need from core must not load a driver, a client or a server';
    expect(offending, hint).toEqual([]);
  });

  it('what core and flows share (core/conversation, core/messages) loads no I/O and no other module of ours', () => {
    const shared = (path: string) => path.startsWith('src/core/conversation/') || path.startsWith('src/core/messages/');
    const offending = offendingImports(
      (file) => shared(file.path),
      (edge) => !edge.typeOnly && (edge.target === undefined ? isIoModule(edge.specifier) : !shared(edge.target)),
    );
    expect(offending).toEqual([]);
  });
});
