import { z } from 'zod';
import type { ChannelName } from './messageTypes.js';

/**
 * Text with light formatting, independent of any platform: what a volunteer typed in Slack,
 * once its mrkdwn is read (src/bots/slack/slackMrkdwn.ts), before each channel renders it in
 * its own way (WhatsApp's markup, plain text elsewhere).
 */
export type RichNode =
  | { type: 'text'; text: string }
  | { type: 'bold' | 'italic' | 'strike' | 'quote'; children: RichNode[] }
  | { type: 'code' | 'pre'; text: string }
  | { type: 'link'; url: string; label?: string | undefined };

export type RichText = RichNode[];

export const richNodeSchema: z.ZodType<RichNode> = z.lazy(() =>
  z.union([
    z.object({ type: z.literal('text'), text: z.string() }),
    z.object({ type: z.enum(['bold', 'italic', 'strike', 'quote']), children: z.array(richNodeSchema) }),
    z.object({ type: z.enum(['code', 'pre']), text: z.string() }),
    z.object({ type: z.literal('link'), url: z.string(), label: z.string().optional() }),
  ]),
);

/** How a channel shows formatting: WhatsApp has its own markup, the others get plain text. */
export type TextStyle = 'whatsapp' | 'plain';

/** Telegram messages are sent without parse_mode and the web chat shows text as text: both read plain text. */
export const CHANNEL_TEXT_STYLE: Record<ChannelName, TextStyle> = {
  WHATSAPP: 'whatsapp',
  WHATSAPP_CLOUD: 'whatsapp',
  TELEGRAM: 'plain',
  WEB: 'plain',
  SLACK: 'plain',
};

const WHATSAPP_MARK = { bold: '*', italic: '_', strike: '~' } as const;

interface Piece {
  text: string;
  /** code and preformatted text: kept as typed (no space clean-up) */
  verbatim?: boolean;
}

function linkText(node: { url: string; label?: string | undefined }): string {
  const address = node.url.startsWith('mailto:') ? node.url.slice('mailto:'.length) : node.url;
  if (!node.label || node.label === address || node.label === node.url) return address;
  return `${node.label} (${address})`;
}

function pieces(nodes: RichText, style: TextStyle): Piece[] {
  const out: Piece[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out.push({ text: node.text });
        break;
      case 'link':
        out.push({ text: linkText(node) });
        break;
      case 'code':
        out.push({ text: style === 'whatsapp' ? `\`${node.text}\`` : node.text, verbatim: true });
        break;
      case 'pre':
        out.push({ text: style === 'whatsapp' ? `\`\`\`${node.text}\`\`\`` : node.text, verbatim: true });
        break;
      case 'quote':
        out.push({ text: '> ' }, ...pieces(node.children, style));
        break;
      default: {
        const inner = pieces(node.children, style);
        if (style !== 'whatsapp') out.push(...inner);
        else out.push({ text: WHATSAPP_MARK[node.type] }, ...inner, { text: WHATSAPP_MARK[node.type] });
      }
    }
  }
  return out;
}

/** Spaces left by what was dropped (a mention), never inside code. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([,.])/g, '$1')
    .replace(/ +\n/g, '\n');
}

/**
 * Renders rich text for one channel: WhatsApp gets `*bold*`, `_italic_`, `~strike~`,
 * `` `code` `` and ```` ```blocks``` ````; plain text keeps the words only. Links read
 * "label (address)" everywhere, as no channel here shows a hidden link target.
 */
export function renderRichText(nodes: RichText, style: TextStyle): string {
  let out = '';
  let run = '';
  for (const piece of pieces(nodes, style)) {
    if (piece.verbatim) {
      out += tidy(run) + piece.text;
      run = '';
    } else {
      run += piece.text;
    }
  }
  return (out + tidy(run)).trim();
}

/** The same text for a channel (see CHANNEL_TEXT_STYLE). */
export function richTextFor(nodes: RichText, channel: ChannelName): string {
  return renderRichText(nodes, CHANNEL_TEXT_STYLE[channel]);
}
