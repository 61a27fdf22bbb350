import { isValidPhoneNumber } from 'libphonenumber-js';
import { z } from 'zod';

export const PLEDGE_ITEM_KINDS = ['smartphone', 'laptop', 'tablet', 'other'] as const;
export type PledgeItemKind = (typeof PLEDGE_ITEM_KINDS)[number];
/** Answers the donor flows offer as choices and record as ids (a donor may also type a pickup window). */
export const PICKUP_WINDOWS = ['this_week', 'next_weeks', 'this_month', 'flexible'] as const;
export const FLEET_AGES = ['lt2', '2to4', '4to6', 'gt6'] as const;
export const FLEET_CONDITIONS = ['working', 'mixed', 'broken'] as const;
/** A company rarely gives more than a few thousand devices at once; beyond is a typo. */
export const MAX_ITEM_QUANTITY = 10_000;

export const pledgeItemsSchema = z
  .array(z.object({ kind: z.enum(PLEDGE_ITEM_KINDS), quantity: z.number().int().min(1).max(MAX_ITEM_QUANTITY) }))
  .max(PLEDGE_ITEM_KINDS.length);
export type PledgeItems = z.infer<typeof pledgeItemsSchema>;

/** Email as zod checks it; phone numbers with libphonenumber (French numbers without +33 accepted). */
export const emailSchema = z.string().trim().toLowerCase().email().max(200);
export function isValidDonorPhone(phone: string): boolean {
  return isValidPhoneNumber(phone, 'FR');
}

/** Who to call about a pledge: stored only in Pledge.donorDetails, erased after DONOR_RETENTION_DAYS. */
export const donorDetailsSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    /** a company's or public body's legal name, printed on the receipt */
    organisation: z.string().trim().min(1).max(160).optional(),
    phone: z.string().trim().max(40).refine(isValidDonorPhone, 'invalid phone number').optional(),
    email: emailSchema.optional(),
    address: z.string().trim().max(300).optional(),
  })
  .refine((d) => d.phone !== undefined || d.email !== undefined, 'a phone number or an email is needed');
export type DonorDetails = z.infer<typeof donorDetailsSchema>;

/** What a donor flow asks the core to record (command `createPledge`), validated again by the core. */
export const pledgeDraftSchema = z.object({
  kind: z.enum(['EQUIPMENT', 'PICKUP', 'DROP_OFF', 'SPONSORSHIP']),
  donorKind: z.enum(['COMPANY', 'PUBLIC_BODY', 'INDIVIDUAL']),
  items: pledgeItemsSchema.default([]),
  fleetAge: z.string().max(40).optional(),
  condition: z.string().max(40).optional(),
  postcode: z
    .string()
    .regex(/^\d{5}$/)
    .optional(),
  pickupWindow: z.string().max(200).optional(),
  donor: donorDetailsSchema.optional(),
  certificateRequired: z.boolean().default(false),
  volumeM3: z.number().min(0).max(1000).optional(),
  sponsorAmountCents: z.number().int().min(100).max(100_000_00).optional(),
});
export type PledgeDraft = z.input<typeof pledgeDraftSchema>;

/** Reads Pledge.items (Json) on the way out of the database; bad data reads as no items. */
export function readPledgeItems(raw: unknown): PledgeItems {
  const parsed = pledgeItemsSchema.safeParse(raw);
  return parsed.success ? parsed.data : [];
}

/** Reads Pledge.donorDetails; erased or malformed details read as null. */
export function readDonorDetails(raw: unknown): DonorDetails | null {
  const parsed = donorDetailsSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
