import type { RichNode, RichText } from '../../core/messages/richText.js';

/**
 * Slack's message text ("mrkdwn") as channel-neutral rich text. What Slack sends in a message
 * event: `*bold*`, `_italic_`, `~strike~`, `` `code` ``, ```` ```blocks``` ````, `>` quotes
 * (arriving as `&gt;`), `<url|label>` and `<mailto:…|…>` links, `<@U…>` user and `<#C…|name>`
 * channel mentions, `<!here>` and other specials, and `&amp;` `&lt;` `&gt;` entities (the only
 * three Slack escapes). Lists arrive as lines starting with "• " or "1. " and stay as they are.
 * A mark counts as formatting only where Slack reads it so: not between two letters or digits
 * (`file_name_v2`), not around spaces, on one line.
 */
export function parseMrkdwn(text: string): RichText {
  const tokens: RichNode[] = [];
  // angle-bracket tokens and code become placeholders first: formatting marks inside them are not marks
  const hold = (node: RichNode) => {
    tokens.push(node);
    return String.fromCharCode(PLACEHOLDER_BASE + tokens.length - 1);
  };
  const held = text
    .replace(/[\uE000-\uF8FF]/g, '')
    .replace(/```([\s\S]*?)```/g, (_m, code: string) =>
      hold({ type: 'pre', text: decodeEntities(code.replace(/^\n|\n$/g, '')) }),
    )
    .replace(/`([^`\n]+)`/g, (_m, code: string) => hold({ type: 'code', text: decodeEntities(code) }))
    .replace(/<([^<>\n]*)>/g, (_m, inner: string) => hold(angleToken(inner)));
  const out: RichText = [];
  held.split('\n').forEach((line, index) => {
    if (index > 0) out.push({ type: 'text', text: '\n' });
    const quote = /^(?:&gt;|>)\s?(.*)$/.exec(line);
    const nodes = inline(quote ? (quote[1] ?? '') : line, tokens);
    out.push(...(quote ? [{ type: 'quote' as const, children: nodes }] : nodes));
  });
  return merge(out);
}

/** Private-use characters stand for tokens while marks are read (any such character typed is dropped first). */
const PLACEHOLDER_BASE = 0xe000;
const MARKS: Record<string, 'bold' | 'italic' | 'strike'> = { '*': 'bold', _: 'italic', '~': 'strike' };
const WORD = /[\p{L}\p{N}]/u;

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** `<https://x|label>`, `<mailto:a@b|a@b>`, `<@U123>`, `<#C123|calais>`, `<!here>`, `<!date^…|fallback>`. */
function angleToken(inner: string): RichNode {
  const [target = '', label] = splitOnce(inner, '|');
  if (target.startsWith('@')) return { type: 'text', text: '' };
  if (target.startsWith('#')) return { type: 'text', text: label ? `#${decodeEntities(label)}` : '' };
  if (target.startsWith('!'))
    return { type: 'text', text: target.startsWith('!date^') && label ? decodeEntities(label) : '' };
  if (/^(https?:\/\/|mailto:)/i.test(target))
    return { type: 'link', url: decodeEntities(target), ...(label ? { label: decodeEntities(label) } : {}) };
  // anything else between angle brackets is not a Slack token: show it as typed
  return { type: 'text', text: decodeEntities(`<${inner}>`) };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Where a mark at `i` may open: at the start or after a non-word character, and followed by a non-space. */
function opens(s: string, i: number): boolean {
  const before = s[i - 1];
  const after = s[i + 1];
  return (before === undefined || !WORD.test(before)) && after !== undefined && !/\s/.test(after);
}

/** Where a mark at `j` may close: after a non-space, and at the end or before a non-word character. */
function closes(s: string, j: number): boolean {
  const before = s[j - 1];
  const after = s[j + 1];
  return before !== undefined && !/\s/.test(before) && (after === undefined || !WORD.test(after));
}

function inline(s: string, tokens: RichNode[]): RichText {
  const out: RichText = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push({ type: 'text', text: decodeEntities(plain) });
    plain = '';
  };
  for (let i = 0; i < s.length; i++) {
    const char = s[i] ?? '';
    const code = char.charCodeAt(0);
    if (code >= PLACEHOLDER_BASE && code < PLACEHOLDER_BASE + tokens.length) {
      flush();
      const token = tokens[code - PLACEHOLDER_BASE];
      if (token) out.push(token);
      continue;
    }
    const mark = MARKS[char];
    if (mark && opens(s, i)) {
      let j = i + 2;
      while (j < s.length && !(s[j] === char && closes(s, j))) j++;
      if (j < s.length) {
        flush();
        out.push({ type: mark, children: inline(s.slice(i + 1, j), tokens) });
        i = j;
        continue;
      }
    }
    plain += char;
  }
  flush();
  return out;
}

/** Adjacent text nodes as one (the renderers tidy spaces across them). */
function merge(nodes: RichText): RichText {
  const out: RichText = [];
  for (const node of nodes) {
    const last = out.at(-1);
    if (node.type === 'text' && last?.type === 'text')
      out[out.length - 1] = { type: 'text', text: last.text + node.text };
    else out.push(node);
  }
  return out;
}
