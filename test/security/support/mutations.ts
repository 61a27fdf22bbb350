import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

function pathsOf(value: Json, prefix: Path = []): Path[] {
  const own = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) return [...own, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (value && typeof value === 'object')
    return [...own, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  return own;
}

/** A deep copy of `value` where the node at `path` is replaced (or removed with `undefined`). */
function withNode(value: Json, path: Path, replacement: Json | undefined): Json {
  if (path.length === 0) return replacement ?? null;
  const [head, ...rest] = path;
  if (Array.isArray(value) && typeof head === 'number') {
    const copy = [...value];
    const child = copy[head];
    if (child === undefined) return copy;
    if (rest.length === 0 && replacement === undefined) copy.splice(head, 1);
    else copy[head] = withNode(child, rest, replacement) ?? null;
    return copy;
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof head === 'string') {
    const copy: { [key: string]: Json } = { ...value };
    const child = copy[head];
    if (child === undefined) return copy;
    if (rest.length === 0 && replacement === undefined) delete copy[head];
    else copy[head] = withNode(child, rest, replacement);
    return copy;
  }
  return value;
}

/** Values that break type assumptions: wrong types, huge numbers, odd strings, prototype keys. */
// JSON.parse (typed any, hence the cast) makes __proto__ an own key; an object literal would set the prototype instead
const nasty: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(
    null,
    -1,
    0,
    1e308,
    -1e308,
    2 ** 53 + 1,
    '',
    ' ',
    '\u0000',
    '\ud800',
    '💥'.repeat(50),
    '<script>alert(1)</script>',
    '\'; DROP TABLE "Message"; --',
    '__proto__',
    [],
    {},
    JSON.parse('{"__proto__":{"admin":true}}') as Json,
    { constructor: { prototype: { x: 1 } } },
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** Whether a body is JSON at all: malformed ones must get 4xx. */
export function isJson(body: string): boolean {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/**
 * Bodies derived from valid examples: a node replaced by a nasty value or removed, the
 * serialisation cut short or with bytes spliced in, or something unrelated (random JSON,
 * random text). Always a string, sent as is.
 */
export function mutatedBody(examples: readonly Json[]): fc.Arbitrary<string> {
  const example = fc.constantFrom(...examples);
  const replaced = fc.tuple(example, fc.nat(), nasty, fc.boolean()).map(([ex, n, v, remove]) => {
    const paths = pathsOf(ex);
    const path = paths.length > 0 ? paths[n % paths.length] : [];
    return JSON.stringify(withNode(ex, path ?? [], remove ? undefined : v));
  });
  const truncated = fc.tuple(example, fc.nat()).map(([ex, n]) => {
    const text = JSON.stringify(ex);
    return text.slice(0, n % Math.max(1, text.length));
  });
  const spliced = fc
    .tuple(example, fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }))
    .map(([ex, n, s]) => {
      const text = JSON.stringify(ex);
      const at = n % Math.max(1, text.length);
      return text.slice(0, at) + s + text.slice(at);
    });
  const unrelated = fc.oneof(
    fc.json({ maxDepth: 3 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.constantFrom('', 'null', '[]', '{}', '"x"', '1', '{"a":', '\u0000'),
  );
  return fc.oneof(
    { weight: 4, arbitrary: replaced },
    { weight: 2, arbitrary: truncated },
    { weight: 2, arbitrary: spliced },
    { weight: 1, arbitrary: unrelated },
  );
}

export type { Json };
