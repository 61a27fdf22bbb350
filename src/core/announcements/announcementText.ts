import type { I18n } from '../i18n/i18n.js';
import type { OutboundContent } from '../messages/messageTypes.js';
import type { AnnouncementParams, AnnouncementTemplate } from './announcementTemplates.js';

/**
 * A place as an announcement names it: its name and, when known, its address (public information, never translated).
 */
export interface AnnouncedPlace {
  name: string;
  address: string | null;
  postcode: string | null;
  city: string | null;
}

export interface AnnouncementContent {
  template: AnnouncementTemplate | null;
  texts: Partial<Record<string, string>> | null;
  params: AnnouncementParams;
  place: AnnouncedPlace | null;
}

// Intl has no Sorani locale data of its own under `ckb`; `ckb-IQ` gives Sorani digits and names
const intlLocale = (language: string) => (language === 'ckb' ? 'ckb-IQ' : language);

/** A day typed as YYYY-MM-DD, e.g. "jeudi 26 septembre", "الخميس 26 سبتمبر" (Gregorian calendar everywhere). */
export function announcedDate(date: string, language: string): string {
  return new Intl.DateTimeFormat(intlLocale(language), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    calendar: 'gregory',
    timeZone: 'UTC',
  }).format(new Date(`${date}T12:00:00Z`));
}

/** A Paris wall-clock time typed as HH:MM, written the person's way (their digits, 24-hour clock). */
export function announcedTime(time: string, language: string): string {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return new Intl.DateTimeFormat(intlLocale(language), {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(2024, 0, 1, hours, minutes)));
}

function placeText(place: AnnouncedPlace | null): { place: string; address: string } {
  if (!place) return { place: '', address: '' };
  const where = [place.address, [place.postcode, place.city].filter(Boolean).join(' ')]
    .filter((part) => part && part.length > 0)
    .join(', ');
  return { place: place.name, address: where };
}

/**
 * The whole announcement in one language, or null when it has no text in that language (free
 * text the author did not write in it): the template or the text, the note, and how to stop
 * announcements, in the person's words. Dates and times are Paris wall-clock values.
 */
export function renderAnnouncement(i18n: I18n, content: AnnouncementContent, language: string): OutboundContent | null {
  let body: string;
  if (content.template) {
    const { place, address } = placeText(content.place);
    const params = {
      place,
      address: address.length > 0 ? i18n.t(language, 'announcements:address', { address }) : '',
      date: content.params.date ? announcedDate(content.params.date, language) : '',
      time: content.params.time ? announcedTime(content.params.time, language) : '',
    };
    body = i18n.t(language, `announcements:templates.${content.template}`, params);
  } else {
    const text = content.texts?.[language];
    if (!text) return null;
    body = text;
  }
  const note = content.params.note ? `\n${i18n.t(language, 'announcements:note', { note: content.params.note })}` : '';
  const footer = i18n.t(language, 'announcements:footer', { keyword: i18n.t(language, 'announcements:stop_word') });
  return {
    text: `${i18n.t(language, 'announcements:heading')}\n${body}${note}\n\n${footer}`,
    ...(i18n.isRtl(language) ? { rtl: true } : {}),
  };
}
