import { describe, expect, it } from 'vitest';
import { haversineKm } from '../../../src/core/places/geoDistance.js';
import { geocodePostcode } from '../../../src/core/places/postcodeGeocoder.js';

const CALAIS = { latitude: 50.951, longitude: 1.858 };

describe('offline postcode geocoding', () => {
  it('places a postcode near its town and refuses what is not a French postcode', () => {
    const calais = geocodePostcode('62100');
    expect(calais).toBeDefined();
    expect(haversineKm(calais ?? CALAIS, CALAIS)).toBeLessThan(5);
    expect(geocodePostcode('62 100')).toEqual(calais);
    for (const bad of ['', '6210', '621000', 'abcde', '00000']) expect(geocodePostcode(bad)).toBeUndefined();
  });

  it('tells the arrondissements of Paris and Lyon apart, each near its own town hall', () => {
    const paris = [
      '75001',
      '75002',
      '75003',
      '75004',
      '75005',
      '75006',
      '75007',
      '75008',
      '75009',
      '75010',
      '75011',
      '75012',
      '75013',
      '75014',
      '75015',
      '75016',
      '75116',
      '75017',
      '75018',
      '75019',
      '75020',
    ];
    const lyon = ['69001', '69002', '69003', '69004', '69005', '69006', '69007', '69008', '69009'];
    for (const group of [paris, lyon]) {
      const points = group.map((postcode) => geocodePostcode(postcode));
      expect(points.every((p) => p !== undefined)).toBe(true);
      expect(new Set(points.map((p) => `${p?.latitude},${p?.longitude}`)).size).toBe(group.length);
    }
    // Montmartre (18e) and Vaugirard (15e) are about 7 km apart, Place Jules-Joffrin is in the 18e
    const montmartre = geocodePostcode('75018');
    const vaugirard = geocodePostcode('75015');
    expect(haversineKm(montmartre ?? CALAIS, vaugirard ?? CALAIS)).toBeGreaterThan(5);
    expect(haversineKm(montmartre ?? CALAIS, { latitude: 48.8923, longitude: 2.3446 })).toBeLessThan(1);
    // Croix-Rousse (4e) and Gerland (7e) in Lyon
    expect(haversineKm(geocodePostcode('69004') ?? CALAIS, geocodePostcode('69007') ?? CALAIS)).toBeGreaterThan(3);
  });
});
