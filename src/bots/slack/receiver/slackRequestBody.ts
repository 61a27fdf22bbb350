import { z } from 'zod';

const jsonObject = z.record(z.unknown());
/** the envelope Bolt dereferences without checking: a callback must carry an event with a type */
const eventCallback = z
  .object({ type: z.literal('event_callback'), event: z.object({ type: z.string() }).passthrough() })
  .passthrough();

const user = z.object({ id: z.string() }).passthrough();
/** interactivity payloads and slash commands, as far as Bolt and our listeners read them before checking */
const interactive: Record<string, z.ZodType> = {
  block_actions: z
    .object({ user, actions: z.array(z.object({ action_id: z.string() }).passthrough()).min(1) })
    .passthrough(),
  view_submission: z
    .object({ user, view: z.object({ id: z.string(), callback_id: z.string() }).passthrough() })
    .passthrough(),
  view_closed: z
    .object({ user, view: z.object({ id: z.string(), callback_id: z.string() }).passthrough() })
    .passthrough(),
  shortcut: z.object({ user, callback_id: z.string() }).passthrough(),
  message_action: z.object({ user, callback_id: z.string() }).passthrough(),
};
const slashCommand = z.object({ command: z.string(), user_id: z.string(), text: z.string().optional() }).passthrough();

/** Slack never sends NUL; Postgres cannot store it: such a body is refused (400) instead of failing in a listener. */
function checked(body: SlackBody): SlackBody | null {
  if (JSON.stringify(body).includes('\\u0000')) return null;
  if (body.type === 'event_callback') return eventCallback.safeParse(body).success ? body : null;
  const shape = typeof body.type === 'string' ? interactive[body.type] : undefined;
  if (shape) return shape.safeParse(body).success ? body : null;
  if ('command' in body && !slashCommand.safeParse(body).success) return null;
  return body;
}

export type SlackBody = z.infer<typeof jsonObject>;

/**
 * Turns the raw body of a Slack request into the object Bolt expects: interactivity
 * payloads arrive as form data with a JSON `payload` field, slash commands as plain form
 * fields, Events API callbacks as JSON. Returns null for anything else, for text with NUL
 * and for payloads missing what Bolt reads unchecked (answered 400).
 */
export function parseSlackBody(rawBody: Buffer, contentType: string | undefined): SlackBody | null {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  const text = rawBody.toString('utf8');
  try {
    if (type === 'application/x-www-form-urlencoded') {
      const form = new URLSearchParams(text);
      const payload = form.get('payload');
      if (payload !== null) return checked(jsonObject.parse(JSON.parse(payload)));
      return checked(Object.fromEntries(form.entries()));
    }
    if (type === 'application/json') return checked(jsonObject.parse(JSON.parse(text)));
  } catch {
    return null;
  }
  return null;
}
