import type { DeviceKind } from '../../generated/prisma/enums.js';

/**
 * Assumptions behind "waste avoided" and "CO2e avoided" (docs/IMPACT.md says where they come
 * from and how uncertain they are). A reused device is counted as one new device not made and
 * one device not thrown away: kg = its weight, CO2e = the manufacturing footprint of a new one.
 */
export const DEVICE_KINDS: readonly DeviceKind[] = ['SMARTPHONE', 'LAPTOP', 'TABLET', 'OTHER'];

export interface ImpactFactors {
  kgPerDevice: Record<DeviceKind, number>;
  co2eKgPerDevice: Record<DeviceKind, number>;
}

export const DEFAULT_IMPACT_FACTORS: ImpactFactors = {
  kgPerDevice: { SMARTPHONE: 0.18, LAPTOP: 2.0, TABLET: 0.5, OTHER: 1.0 },
  co2eKgPerDevice: { SMARTPHONE: 30, LAPTOP: 150, TABLET: 60, OTHER: 20 },
};

/** kg of e-waste and kg CO2e avoided by reusing these devices, rounded to 0.1 kg. */
export function avoidedImpact(
  devicesByKind: Partial<Record<DeviceKind, number>>,
  factors: ImpactFactors = DEFAULT_IMPACT_FACTORS,
): { wasteKg: number; co2eKg: number } {
  let wasteKg = 0;
  let co2eKg = 0;
  for (const kind of DEVICE_KINDS) {
    const count = devicesByKind[kind] ?? 0;
    wasteKg += factors.kgPerDevice[kind] * count;
    co2eKg += factors.co2eKgPerDevice[kind] * count;
  }
  return { wasteKg: Math.round(wasteKg * 10) / 10, co2eKg: Math.round(co2eKg * 10) / 10 };
}
