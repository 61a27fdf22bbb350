// Demo data for `npm run seed`: a network of associations around Calais, Grande-Synthe and
// Paris. Names of associations are real (they are the kind of partners Relais serves);
// addresses, hours, Slack ids and devices are invented for the demo.
import type { PlaceCategory, StaffRole } from '../../src/generated/prisma/enums.js';
import type { OpeningSlot } from '../../src/core/places/placeHours.js';

export interface DemoAssociation {
  slug: string;
  name: string;
  city: string;
}

export interface DemoPlace {
  name: string;
  category: PlaceCategory;
  association?: string;
  address: string;
  postcode: string;
  city: string;
  latitude: number;
  longitude: number;
  hours: OpeningSlot[];
  acceptedItems?: string[];
}

export interface DemoStaff {
  slackUserId: string;
  displayName: string;
  association: string;
  role: StaffRole;
  language: string;
}

export interface DemoStock {
  association: string;
  model: string;
  /** first 8 digits of the IMEIs (the type allocation code); phones get valid Luhn IMEIs */
  tac?: string;
  /** serial prefix for devices without IMEI (laptops) */
  serialPrefix?: string;
  kind?: 'smartphone' | 'laptop' | 'tablet';
  count: number;
  grades: string[];
}

export const DEMO_ASSOCIATIONS: DemoAssociation[] = [
  { slug: 'utopia-56', name: 'Utopia 56', city: 'Calais' },
  { slug: 'refugee-womens-centre', name: "Refugee Women's Centre", city: 'Grande-Synthe' },
  { slug: 'auberge-des-migrants', name: "L'Auberge des Migrants", city: 'Calais' },
  { slug: 'secours-catholique-calais', name: 'Secours Catholique — Calais', city: 'Calais' },
  { slug: 'emmaus-connect-paris', name: 'Emmaüs Connect — relais numérique', city: 'Paris' },
];

/** Every day of the week (0 = Sunday) with the same slots. */
const daily = (...slots: Array<[string, string]>): OpeningSlot[] =>
  [0, 1, 2, 3, 4, 5, 6].flatMap((day) => slots.map(([open, close]) => ({ day, open, close })));
const on = (days: number[], ...slots: Array<[string, string]>): OpeningSlot[] =>
  days.flatMap((day) => slots.map(([open, close]) => ({ day, open, close })));
const WEEKDAYS = [1, 2, 3, 4, 5];
const DONATIONS = ['smartphone', 'laptop', 'tablet', 'charger'];

export const DEMO_PLACES: DemoPlace[] = [
  {
    name: 'Distribution de repas — zone des Dunes',
    category: 'DISTRIBUTION',
    association: 'auberge-des-migrants',
    address: 'Rue des Verrotières',
    postcode: '62100',
    city: 'Calais',
    latitude: 50.9632,
    longitude: 1.8853,
    hours: daily(['12:00', '14:00'], ['17:30', '19:00']),
  },
  {
    name: 'Distribution de vêtements',
    category: 'DISTRIBUTION',
    association: 'auberge-des-migrants',
    address: 'Rue Margueritte',
    postcode: '62100',
    city: 'Calais',
    latitude: 50.9489,
    longitude: 1.8589,
    hours: on([2, 4, 6], ['10:00', '12:30']),
  },
  {
    name: 'Point de recharge des téléphones — quai',
    category: 'CHARGING',
    association: 'utopia-56',
    address: 'Quai de la Moselle',
    postcode: '62100',
    city: 'Calais',
    latitude: 50.9571,
    longitude: 1.8636,
    hours: daily(['10:00', '18:00']),
  },
  {
    name: 'Accueil de jour',
    category: 'ASSOCIATION',
    association: 'secours-catholique-calais',
    address: '2 rue de Moscou',
    postcode: '62100',
    city: 'Calais',
    latitude: 50.9493,
    longitude: 1.8712,
    hours: on(WEEKDAYS, ['09:00', '12:00'], ['14:00', '17:00']),
  },
  {
    name: 'Permanence Utopia 56',
    category: 'ASSOCIATION',
    association: 'utopia-56',
    address: 'Boulevard Jacquard',
    postcode: '62100',
    city: 'Calais',
    latitude: 50.9497,
    longitude: 1.8557,
    hours: on([1, 3, 5], ['14:00', '18:00']),
  },
  {
    name: 'Espace femmes et enfants',
    category: 'ASSOCIATION',
    association: 'refugee-womens-centre',
    address: 'Rue du Comte Jean',
    postcode: '59760',
    city: 'Grande-Synthe',
    latitude: 51.0141,
    longitude: Math.LN10,
    hours: on([1, 3, 5], ['10:00', '16:00']),
  },
  {
    name: 'Point de recharge — Grande-Synthe',
    category: 'CHARGING',
    association: 'refugee-womens-centre',
    address: 'Avenue de la Petite-Synthe',
    postcode: '59760',
    city: 'Grande-Synthe',
    latitude: 51.0088,
    longitude: 2.2951,
    hours: daily(['09:00', '19:00']),
  },
  {
    name: 'Relais numérique — Paris 20e',
    category: 'RELAY_POINT',
    association: 'emmaus-connect-paris',
    address: '7 rue Ramponeau',
    postcode: '75020',
    city: 'Paris',
    latitude: 48.8712,
    longitude: 2.3797,
    hours: on([2, 3, 4, 5, 6], ['10:00', '13:00'], ['14:00', '18:00']),
    acceptedItems: ['smartphone', 'tablet', 'charger'],
  },
  {
    name: 'Point de collecte — Paris 11e',
    category: 'DROP_OFF',
    association: 'emmaus-connect-paris',
    address: 'Rue de la Roquette',
    postcode: '75011',
    city: 'Paris',
    latitude: 48.8556,
    longitude: 2.3755,
    hours: on([1, 2, 3, 4, 5], ['09:30', '17:30']),
    acceptedItems: DONATIONS,
  },
  {
    name: 'Point de collecte — Paris 18e',
    category: 'DROP_OFF',
    association: 'emmaus-connect-paris',
    address: 'Rue Marcadet',
    postcode: '75018',
    city: 'Paris',
    latitude: 48.8915,
    longitude: 2.3479,
    hours: on([3, 6], ['10:00', '16:00']),
    acceptedItems: DONATIONS,
  },
  {
    name: 'Point de collecte — Calais centre',
    category: 'DROP_OFF',
    association: 'secours-catholique-calais',
    address: 'Boulevard Lafayette',
    postcode: '62100',
    city: 'Calais',
    latitude: 50.9472,
    longitude: 1.8623,
    hours: on(WEEKDAYS, ['14:00', '17:00']),
    acceptedItems: ['smartphone', 'charger'],
  },
];

export const DEMO_STAFF: DemoStaff[] = [
  {
    slackUserId: 'U0DEMO0001',
    displayName: 'Camille (Utopia 56)',
    association: 'utopia-56',
    role: 'VOLUNTEER',
    language: 'fr',
  },
  {
    slackUserId: 'U0DEMO0002',
    displayName: 'Yusuf (Utopia 56)',
    association: 'utopia-56',
    role: 'COORDINATOR',
    language: 'en',
  },
  {
    slackUserId: 'U0DEMO0003',
    displayName: 'Sarah (RWC)',
    association: 'refugee-womens-centre',
    role: 'VOLUNTEER',
    language: 'en',
  },
  {
    slackUserId: 'U0DEMO0004',
    displayName: 'Jean (Auberge)',
    association: 'auberge-des-migrants',
    role: 'COORDINATOR',
    language: 'fr',
  },
  {
    slackUserId: 'U0DEMO0005',
    displayName: 'Léa (Emmaüs Connect)',
    association: 'emmaus-connect-paris',
    role: 'ADMIN',
    language: 'fr',
  },
];

export const DEMO_STOCK: DemoStock[] = [
  { association: 'utopia-56', model: 'Sony Xperia X', tac: '35477807', count: 40, grades: ['A', 'A', 'B', 'B', 'C'] },
  { association: 'auberge-des-migrants', model: 'Sony Xperia X', tac: '35477807', count: 20, grades: ['A', 'B', 'C'] },
  {
    association: 'refugee-womens-centre',
    model: 'Samsung Galaxy A5 (2017)',
    tac: '35290908',
    count: 12,
    grades: ['A', 'B'],
  },
  {
    association: 'emmaus-connect-paris',
    model: 'Lenovo ThinkPad T460',
    kind: 'laptop',
    serialPrefix: 'PC0DEMO',
    count: 6,
    grades: ['B'],
  },
];
