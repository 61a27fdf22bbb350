import { z } from 'zod';
import type { RequestKind } from '../../generated/prisma/enums.js';

/** Where a person stays: a few words, or a shared location rounded to about 100 m (data minimisation). */
const staySchema = z.union([
  z.object({ text: z.string().trim().min(1).max(200) }),
  z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }),
]);

export const PHONE_SITUATIONS = ['never', 'lost', 'stolen', 'broken'] as const;
export const phoneDetailsSchema = z.object({
  forWhom: z.enum(['self', 'family']),
  situation: z.enum(PHONE_SITUATIONS),
  stay: staySchema.optional(),
});

export const OPERATORS = ['lycamobile', 'lebara', 'sfr', 'orange', 'bouygues', 'free', 'other'] as const;
export const RECHARGE_OFFERS = ['eur5', 'eur10', 'eur20', 'data4gb', 'data20gb'] as const;
export type RechargeOffer = (typeof RECHARGE_OFFERS)[number];
/** Brand names are the same in every language; only "other" is translated. */
export const OPERATOR_BRANDS: Record<(typeof OPERATORS)[number], string | null> = {
  lycamobile: 'Lycamobile',
  lebara: 'Lebara',
  sfr: 'SFR',
  orange: 'Orange',
  bouygues: 'Bouygues Telecom',
  free: 'Free',
  other: null,
};
/** The amount in euros of a credit offer (data packs have none). */
export const OFFER_EUROS: Partial<Record<RechargeOffer, number>> = { eur5: 5, eur10: 10, eur20: 20 };
export const rechargeDetailsSchema = z.object({
  operator: z.enum(OPERATORS),
  /** the operator's name when "other" was chosen */
  operatorOther: z.string().trim().min(1).max(40).optional(),
  offer: z.enum(RECHARGE_OFFERS),
});

export const HELP_TOPICS = ['account', 'passwords', 'privacy', 'apps', 'settings', 'other'] as const;
export const helpDetailsSchema = z.object({ topic: z.enum(HELP_TOPICS) });

export const contactDetailsSchema = z.object({ origin: z.enum(['menu', 'checkin']).default('menu') });

export type PhoneDetails = z.infer<typeof phoneDetailsSchema>;
export type RechargeDetails = z.infer<typeof rechargeDetailsSchema>;
export type HelpDetails = z.infer<typeof helpDetailsSchema>;
export type ContactDetails = z.infer<typeof contactDetailsSchema>;

export type RequestDetails =
  | { kind: 'PHONE'; details: PhoneDetails }
  | { kind: 'RECHARGE'; details: RechargeDetails }
  | { kind: 'HELP'; details: HelpDetails }
  | { kind: 'CONTACT'; details: ContactDetails };

/**
 * Validates the answers a flow collected for a request of one kind (on write), or what the
 * Request.details column holds (on read). Throws a ZodError on a shape that does not fit;
 * details erased by retention (`{}`) are reported by `isErasedDetails` first.
 */
export function parseRequestDetails(kind: RequestKind, raw: unknown): RequestDetails {
  switch (kind) {
    case 'PHONE':
      return { kind, details: phoneDetailsSchema.parse(raw) };
    case 'RECHARGE':
      return { kind, details: rechargeDetailsSchema.parse(raw) };
    case 'HELP':
      return { kind, details: helpDetailsSchema.parse(raw) };
    case 'CONTACT':
      return { kind, details: contactDetailsSchema.parse(raw) };
  }
}

/** Details emptied by erasure or retention: `{}`. */
export function isErasedDetails(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && Object.keys(raw).length === 0;
}
