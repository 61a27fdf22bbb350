import type { z } from 'zod';

/**
 * One statement written with the {@link sql} template, kept for sending later (possibly with
 * others in one trip). `strings` are the text around the values, as in a tagged template.
 */
export interface Statement {
  strings: TemplateStringsArray;
  values: unknown[];
  /** a statement of the hot path, prepared once per connection by the fast path (see `prepared`) */
  name?: string;
}

/** The statements made by `sql`: only those are spliced into another statement. */
const fragments = new WeakSet<object>();

const isFragment = (value: unknown): value is Statement =>
  typeof value === 'object' && value !== null && fragments.has(value);

/**
 * The one way to write SQL by hand: values become parameters (never text), and a value that is
 * itself a `sql` statement is spliced in as SQL with its own values, so that an optional clause
 * reads ``sql`… ${cond ? sql`AND x = ${x}` : sql``}` ``. Run it with a runner of `./sqlRunner.ts`.
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Statement {
  const statement = values.some(isFragment) ? splice(strings, values) : { strings, values };
  fragments.add(statement);
  return statement;
}

/**
 * A hot-path statement that the fast path prepares once per connection (`PREPARE name AS …`)
 * and then runs as `EXECUTE name(…)`: Postgres parses and plans it once per connection instead
 * of on every message (see docs/BENCHMARKS.md). Elsewhere it is an ordinary statement.
 * The name must be unique to the statement's text.
 */
export const prepared =
  (name: string) =>
  (strings: TemplateStringsArray, ...values: unknown[]): Statement => {
    const statement = values.some(isFragment) ? splice(strings, values) : { strings, values };
    return { ...statement, name };
  };

/** `strings` and `values` with the fragments among the values spliced in. */
function splice(strings: TemplateStringsArray, values: unknown[]): Statement {
  const parts: string[] = [strings[0] ?? ''];
  const flat: unknown[] = [];
  values.forEach((value, i) => {
    const after = strings[i + 1] ?? '';
    if (isFragment(value)) {
      const inner = value.strings;
      parts[parts.length - 1] += inner[0] ?? '';
      for (let j = 1; j < inner.length; j++) parts.push(inner[j] ?? '');
      flat.push(...value.values);
      parts[parts.length - 1] += after;
    } else {
      flat.push(value);
      parts.push(after);
    }
  });
  // shaped like a template's strings, so every runner (Prisma's $queryRaw too) takes it as one
  return { strings: Object.assign(parts, { raw: parts }), values: flat };
}

/** The text Postgres receives for `strings`: `$1`, `$2`… in place of the values. */
export const placeholders = (strings: readonly string[]): string =>
  strings.reduce((out, part, i) => `${out}$${i}${part}`);

/** The rows of a statement, each checked by `schema`; a row that does not match is a bug, and throws. */
export function parseRows<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, rows: readonly unknown[]): T[] {
  return rows.map((row) => schema.parse(row));
}

/** The first row of a statement checked by `schema`, or undefined when there is none. */
export function firstRow<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, rows: readonly unknown[]): T | undefined {
  return rows.length === 0 ? undefined : schema.parse(rows[0]);
}
