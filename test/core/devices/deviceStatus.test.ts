import { describe, expect, it } from 'vitest';
import {
  DEVICE_TRANSITIONS,
  canDeviceTransition,
  assertDeviceTransition,
} from '../../../src/core/devices/deviceStatus.js';

describe('device status', () => {
  it('a device goes through the refurbishing chain to a person, and an allocation can fall back to stock', () => {
    const path = ['COLLECTED', 'ERASED', 'REFURBISHED', 'IN_STOCK', 'ALLOCATED', 'HANDED_OVER'] as const;
    for (let i = 0; i + 1 < path.length; i++)
      expect(canDeviceTransition(path[i] ?? 'COLLECTED', path[i + 1] ?? 'COLLECTED')).toBe(true);
    expect(canDeviceTransition('ALLOCATED', 'IN_STOCK')).toBe(true);
  });

  it('refuses shortcuts and anything after a hand-over', () => {
    expect(canDeviceTransition('COLLECTED', 'IN_STOCK')).toBe(false);
    expect(canDeviceTransition('IN_STOCK', 'HANDED_OVER')).toBe(false);
    expect(DEVICE_TRANSITIONS.HANDED_OVER).toEqual([]);
    expect(() => assertDeviceTransition('HANDED_OVER', 'IN_STOCK')).toThrow(
      /device cannot go from HANDED_OVER to IN_STOCK/,
    );
  });
});
