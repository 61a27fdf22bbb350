import { PLACES_TIME_ZONE } from '../core/places/placeHours.js';

// the Gregorian calendar everywhere: Persian and Pashto locales default to the Solar Hijri
// one, but dates here are French appointments and opening days
const base = { calendar: 'gregory', timeZone: PLACES_TIME_ZONE } as const;

/** "Monday", "الاثنين", "دوشنبه"… for day 0-6 (0 = Sunday), in the person's language. */
export function weekdayName(day: number, language: string): string {
  // 2023-01-01 was a Sunday; noon UTC is the same day in Paris
  return new Intl.DateTimeFormat(language, { ...base, weekday: 'long' }).format(
    new Date(Date.UTC(2023, 0, 1 + day, 12)),
  );
}

/** A wall-clock time "HH:MM" written the person's way (24-hour clock, their digits). */
export function wallClock(time: string, language: string): string {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return new Intl.DateTimeFormat(language, {
    calendar: 'gregory',
    timeZone: 'UTC',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(Date.UTC(2023, 0, 1, hours, minutes)));
}

/** A day, e.g. "24 Nov", in Paris time. */
export function shortDate(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, { ...base, day: 'numeric', month: 'short' }).format(new Date(iso));
}

/** A day and time, e.g. "Tuesday 26 November, 14:30", in Paris time. */
export function dayAndTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, {
    ...base,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}
