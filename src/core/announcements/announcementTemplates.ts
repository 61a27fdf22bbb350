import { z } from 'zod/v4';
import { LANGUAGES } from '../i18n/i18n.js';
import { RelaisError } from '../errors.js';
import { audienceSchema } from './announcementAudience.js';

/** Which parameters each catalogue template needs (its text is `announcements:templates.<id>` in 8 languages). */
export const ANNOUNCEMENT_TEMPLATES = {
  distribution: ['place', 'date', 'time'],
  recharge_day: ['place', 'date', 'time'],
  closure: ['place', 'date'],
  opening_hours: ['place', 'date'],
  new_place: ['place'],
  phone_help: ['place', 'date', 'time'],
  your_request: ['place', 'date', 'time'],
} as const satisfies Record<string, ReadonlyArray<'place' | 'date' | 'time'>>;
export type AnnouncementTemplate = keyof typeof ANNOUNCEMENT_TEMPLATES;
export const TEMPLATE_IDS = Object.keys(ANNOUNCEMENT_TEMPLATES) as [AnnouncementTemplate, ...AnnouncementTemplate[]];

export const NOTE_MAX = 120;
export const FREE_TEXT_MAX = 1500;

/** Template parameters: a place of the Place table, a day and a time in Paris wall-clock time, a short note. */
export const announcementParamsSchema = z.object({
  placeId: z.uuid().optional().describe('a place of the Place table (GET /places)'),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .refine((d) => !Number.isNaN(Date.parse(`${d}T12:00:00Z`)), 'not a date')
    .optional()
    .describe('the day, YYYY-MM-DD, as in Paris'),
  time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .optional()
    .describe('the time, HH:MM, Paris wall-clock time'),
  /** shown as typed, in every language: for a room, a door, a bus line */
  note: z.string().trim().min(1).max(NOTE_MAX).optional(),
});
export type AnnouncementParams = z.infer<typeof announcementParamsSchema>;

const languageSchema = z.enum(LANGUAGES);

/** What a coordinator (Slack) or an API client asks for; the same schema checks both. */
export const announcementInputSchema = z
  .object({
    template: z.enum(TEMPLATE_IDS).optional(),
    /** free text, one per language of the audience */
    texts: z.partialRecord(languageSchema, z.string().trim().min(1).max(FREE_TEXT_MAX)).optional(),
    params: announcementParamsSchema.default({}),
    audience: audienceSchema,
    /** when to send; absent or past: now */
    sendAt: z.iso
      .datetime({ offset: true })
      .transform((v) => new Date(v))
      .optional()
      .describe('ISO date-time; absent or past: now'),
  })
  .refine((a) => (a.template === undefined) !== (a.texts === undefined), {
    message: 'give either a template or texts',
    path: ['template'],
  })
  .superRefine((a, ctx) => {
    if (!a.template) return;
    for (const param of ANNOUNCEMENT_TEMPLATES[a.template]) {
      const key = param === 'place' ? 'placeId' : param;
      if (a.params[key] === undefined)
        ctx.addIssue({ code: 'custom', message: `${key} is required by ${a.template}`, path: ['params', key] });
    }
  });
export type AnnouncementInput = z.input<typeof announcementInputSchema>;
export type ParsedAnnouncementInput = z.infer<typeof announcementInputSchema>;

/** An input that does not pass the schema (Slack shows it under the field; the API answers 400 before this). */
export class InvalidAnnouncement extends RelaisError {
  constructor(readonly issues: Array<{ path: string; message: string }>) {
    super('RELAIS_ANNOUNCEMENT_INVALID', `invalid announcement: ${issues.map((i) => i.path).join(', ')}`, 400);
  }
}

/** Parses an announcement input, or throws InvalidAnnouncement listing the fields at fault. */
export function parseAnnouncementInput(input: unknown): ParsedAnnouncementInput {
  const parsed = announcementInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidAnnouncement(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
}

/** An announcement that cannot go as asked (free text missing for nobody's language, nobody in the audience…). */
export class AnnouncementRefused extends RelaisError {
  constructor(
    readonly reason: 'no_recipients' | 'no_text_for_audience' | 'not_allowed' | 'place_unknown' | 'not_cancellable',
    status = 422,
  ) {
    super(`RELAIS_ANNOUNCEMENT_${reason.toUpperCase()}`, `announcement refused: ${reason}`, status);
  }
}
