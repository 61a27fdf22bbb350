import { z } from 'zod/v4';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM, 00:00 to 24:00');

/**
 * One opening slot of a week: day 0 = Sunday … 6 = Saturday (as `Date#getDay`), Paris wall-clock time, open before
 * close.
 */
export const openingSlotSchema = z
  .object({
    day: z.number().int().min(0).max(6).describe('0 = Sunday … 6 = Saturday'),
    open: time,
    close: time,
  })
  .refine((slot) => slot.open < slot.close, {
    message: 'close must be after open (split a slot that passes midnight in two days)',
    path: ['close'],
  })
  .meta({ id: 'OpeningSlot' });

/** The weekly opening hours of a place (`Place.hours`), validated when written and when read. */
export const weeklyHoursSchema = z.array(openingSlotSchema).max(42);
/** Same schema under the name the flows use. */
export const placeHoursSchema = weeklyHoursSchema;

export type OpeningSlot = z.infer<typeof openingSlotSchema>;
export type PlaceHours = OpeningSlot[];

/** The time zone opening hours are written in (every place is in France). */
export const PLACES_TIME_ZONE = 'Europe/Paris';

/**
 * Reads `Place.hours` from the database, sorted by day and time. Hours typed wrongly by an
 * admin must not break the orientation flow: a malformed value counts as "no hours known".
 */
export function readPlaceHours(value: unknown): PlaceHours {
  const parsed = weeklyHoursSchema.safeParse(value);
  if (!parsed.success) return [];
  return [...parsed.data].sort((a, b) => a.day - b.day || a.open.localeCompare(b.open));
}

/** Name used by the admin API and the seed. */
export const readWeeklyHours = readPlaceHours;

const weekdayIndex: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Day of week (0 = Sunday) and "HH:MM" of an instant, in Paris. */
export function parisWallClock(at: Date): { day: number; time: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: PLACES_TIME_ZONE,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: weekdayIndex[part('weekday')] ?? 0, time: `${part('hour')}:${part('minute')}` };
}

/** Whether a place is open at an instant: null when its hours are unknown. */
export function isOpenAt(hours: PlaceHours, at: Date): boolean | null {
  if (hours.length === 0) return null;
  const { day, time } = parisWallClock(at);
  return hours.some((slot) => slot.day === day && slot.open <= time && time < slot.close);
}
