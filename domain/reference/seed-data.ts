import type {
  Category,
  Coalition,
  CoalitionId,
  Course,
  InventoryEntry,
  Need,
  Session,
  Site,
  System,
} from '../schemas/reference';
import { defaultSessionMinimumCutoffDays } from '../training/session-minimum';

// Reference data drawn from public reporting (see shared/reference/public-facts.json). Quantities are
// rounded "as reported" figures; pledged, delivered and operational numbers differ and change often.

// The capability coalitions of the Ukraine Defense Contact Group, with their leads as publicly reported
// (shared/reference/public-facts.json, `capability_coalitions`). Members are listed only where a public source
// names a nation as taking part beyond the leads; most memberships are not published, so lists are short.
export const coalitions: Coalition[] = [
  // Leads: finanznachrichten.de (Jan 2025 roadmaps). FRA takes part per the France–Ukraine security agreement
  // (ukranews.com/en/news/985293, 16 Feb 2024).
  {
    id: 'air-force',
    name: 'Air Force Capability Coalition',
    categories: ['fighter'],
    leads: ['USA', 'DNK', 'NLD'],
    members: ['FRA'],
  },
  // Leads: finanznachrichten.de; formed Nov 2023. DNK is a member per the Denmark–Ukraine agreement
  // (censor.net/en/photonews/3475077, 23 Feb 2024).
  {
    id: 'iamd',
    name: 'Integrated Air and Missile Defence Coalition',
    categories: ['air-defence-long', 'air-defence-medium', 'air-defence-short'],
    leads: ['DEU', 'FRA'],
    members: ['DNK'],
  },
  // Leads: finanznachrichten.de; formed Jan 2024.
  {
    id: 'artillery',
    name: 'Artillery Coalition',
    categories: ['howitzer', 'mlrs'],
    leads: ['FRA', 'USA'],
    members: [],
  },
  // Leads: newsukraine.rbc.ua (Poland launches the coalition, Mar 2024), with Germany as co-lead.
  {
    id: 'armour',
    name: 'Armoured Vehicles Coalition',
    categories: ['mbt', 'ifv'],
    leads: ['POL', 'DEU'],
    members: [],
  },
  // Leads: euro-sd.com (UK and Norway, Dec 2023). FRA takes part per the France–Ukraine agreement (ukranews.com).
  {
    id: 'maritime',
    name: 'Maritime Capability Coalition',
    categories: [],
    leads: ['GBR', 'NOR'],
    members: ['FRA'],
  },
  // Leads: finanznachrichten.de.
  { id: 'it', name: 'IT Coalition', categories: [], leads: ['EST', 'LUX'], members: [] },
  // Leads: Lithuania per finanznachrichten.de; Iceland as co-lead only in secondary sources (kept, with that caveat).
  // EST joined per news.err.ee (1609254561).
  { id: 'demining', name: 'Demining Coalition', categories: [], leads: ['LTU', 'ISL'], members: ['EST'] },
  // Leads: defensenews.com (15 Feb 2024). EST joined per news.err.ee (1609254561).
  { id: 'drones', name: 'Drone Coalition', categories: ['drone'], leads: ['LVA', 'GBR'], members: ['EST'] },
];

const coalitionOf = Object.fromEntries(
  coalitions.flatMap((c) => c.categories.map((category) => [category, c.id])),
) as Record<Category, CoalitionId>;

type SystemRow = [
  id: string,
  name: string,
  family: string,
  category: Category,
  origin: string,
  calibers: string[],
  crewPerUnit: number,
  maintainersPerUnit: number,
  courseIds: string[],
  maintenanceBurden: System['maintenanceBurden'],
];

// Calibres list the main armament first. A unit is one aircraft, battery, fire unit, gun or vehicle.
// prettier-ignore
const systemRows: SystemRow[] = [
  ['f-16', 'F-16AM/BM Fighting Falcon', 'F-16', 'fighter', 'USA',
    ['AIM-120 AMRAAM', 'AIM-9 Sidewinder', '20mm'], 1, 8, ['f16-conversion', 'f16-maintainer'], 'high'],
  ['mirage-2000-5', 'Mirage 2000-5F', 'Mirage 2000', 'fighter', 'FRA',
    ['MICA', '30mm DEFA'], 1, 8, ['mirage-2000-conversion', 'mirage-2000-maintainer'], 'high'],
  ['gripen-c', 'JAS 39C Gripen', 'Gripen', 'fighter', 'SWE',
    ['AIM-120 AMRAAM', 'IRIS-T', '27mm'], 1, 5, ['gripen-conversion', 'gripen-maintainer'], 'medium'],
  ['gripen-e', 'JAS 39E Gripen', 'Gripen', 'fighter', 'SWE',
    ['AIM-120 AMRAAM', 'IRIS-T', '27mm'], 1, 5, ['gripen-conversion', 'gripen-maintainer'], 'medium'],
  ['mig-29', 'MiG-29 Fulcrum', 'MiG-29', 'fighter', 'USSR',
    ['R-27', 'R-73', '30mm GSh-30'], 1, 6, [], 'high'],
  ['patriot', 'MIM-104 Patriot battery', 'Patriot', 'air-defence-long', 'USA',
    ['PAC-3 MSE', 'PAC-2 GEM-T'], 65, 25, ['patriot-operator', 'patriot-maintainer'], 'high'],
  ['samp-t', 'SAMP/T battery', 'SAMP/T', 'air-defence-long', 'FRA/ITA',
    ['Aster 30'], 45, 15, ['samp-t-course'], 'high'],
  ['iris-t-slm', 'IRIS-T SLM fire unit', 'IRIS-T', 'air-defence-medium', 'DEU',
    ['IRIS-T SL'], 30, 10, ['iris-t-operator', 'iris-t-maintainer'], 'medium'],
  ['nasams', 'NASAMS fire unit', 'NASAMS', 'air-defence-medium', 'NOR/USA',
    ['AIM-120 AMRAAM'], 25, 8, ['nasams-operator', 'nasams-maintainer'], 'medium'],
  ['hawk', 'MIM-23 HAWK Phase III battery', 'HAWK', 'air-defence-medium', 'USA/ESP',
    ['MIM-23 HAWK'], 35, 12, ['hawk-course'], 'high'],
  ['iris-t-sls', 'IRIS-T SLS launcher', 'IRIS-T', 'air-defence-short', 'DEU',
    ['IRIS-T SL'], 6, 2, ['iris-t-sls-crew'], 'medium'],
  ['gepard', 'Flakpanzer Gepard', 'Gepard', 'air-defence-short', 'DEU',
    ['35mm'], 3, 2, ['gepard-crew'], 'high'],
  ['skynex', 'Skynex air defence system', 'Skynex', 'air-defence-short', 'DEU',
    ['35mm AHEAD'], 12, 4, ['skynex-crew'], 'medium'],
  ['avenger', 'AN/TWQ-1 Avenger', 'Avenger', 'air-defence-short', 'USA',
    ['FIM-92 Stinger', '12.7mm'], 3, 1, ['avenger-crew'], 'low'],
  ['m777', 'M777 towed howitzer', 'M777', 'howitzer', 'USA', ['155mm'], 8, 1, ['m777-crew'], 'medium'],
  ['caesar', 'CAESAR 6x6 truck-mounted howitzer', 'CAESAR', 'howitzer', 'FRA',
    ['155mm'], 5, 1, ['caesar-crew'], 'medium'],
  ['caesar-8x8', 'CAESAR 8x8 (Danish variant)', 'CAESAR', 'howitzer', 'FRA/DNK',
    ['155mm'], 5, 1, ['caesar-crew'], 'medium'],
  ['pzh-2000', 'Panzerhaubitze 2000', 'PzH 2000', 'howitzer', 'DEU',
    ['155mm'], 5, 2, ['pzh2000-crew', 'pzh2000-maintenance'], 'high'],
  ['as90', 'AS90 self-propelled howitzer', 'AS90', 'howitzer', 'GBR', ['155mm'], 5, 2, ['as90-crew'], 'high'],
  ['krab', 'AHS Krab', 'Krab', 'howitzer', 'POL', ['155mm'], 4, 2, ['krab-crew'], 'medium'],
  ['zuzana-2', 'Zuzana 2 wheeled howitzer', 'Zuzana 2', 'howitzer', 'SVK',
    ['155mm'], 4, 1, ['zuzana-crew'], 'medium'],
  ['m109a3', 'M109A3GN', 'M109', 'howitzer', 'USA', ['155mm'], 6, 2, ['m109-crew'], 'medium'],
  ['archer', 'Archer FH77BW', 'Archer', 'howitzer', 'SWE', ['155mm'], 4, 2, ['archer-crew'], 'high'],
  ['rch-155', 'RCH 155 wheeled howitzer', 'RCH 155', 'howitzer', 'DEU',
    ['155mm'], 3, 2, ['rch155-crew'], 'high'],
  ['l119', 'L119 light gun', 'L119', 'howitzer', 'GBR', ['105mm'], 6, 1, ['l119-crew'], 'low'],
  ['m119', 'M119A3 light howitzer', 'L119', 'howitzer', 'USA', ['105mm'], 6, 1, ['l119-crew'], 'low'],
  ['himars', 'M142 HIMARS', 'HIMARS', 'mlrs', 'USA', ['GMLRS', 'ATACMS'], 3, 2, ['himars-crew'], 'medium'],
  ['m270', 'M270 MLRS', 'M270', 'mlrs', 'USA/GBR', ['GMLRS'], 3, 2, ['m270-crew'], 'high'],
  ['mars-ii', 'MARS II', 'M270', 'mlrs', 'DEU', ['GMLRS'], 3, 2, ['m270-crew'], 'high'],
  ['rm-70', 'RM-70 Vampire', 'RM-70', 'mlrs', 'CZE', ['122mm'], 4, 1, ['rm70-crew'], 'medium'],
  ['leopard-2a4', 'Leopard 2A4', 'Leopard 2', 'mbt', 'DEU',
    ['120mm'], 4, 2, ['leopard2-crew', 'leopard2-maintainer'], 'high'],
  ['leopard-2a6', 'Leopard 2A6', 'Leopard 2', 'mbt', 'DEU',
    ['120mm'], 4, 2, ['leopard2-crew', 'leopard2-maintainer'], 'high'],
  ['strv-122', 'Stridsvagn 122', 'Leopard 2', 'mbt', 'SWE',
    ['120mm'], 4, 2, ['leopard2-crew', 'leopard2-maintainer'], 'high'],
  ['leopard-1a5', 'Leopard 1A5', 'Leopard 1', 'mbt', 'DEU', ['105mm'], 4, 2, ['leopard1-crew'], 'medium'],
  ['abrams-m1a1', 'M1A1 Abrams', 'Abrams', 'mbt', 'USA',
    ['120mm'], 4, 4, ['abrams-crew', 'abrams-maintainer'], 'high'],
  ['challenger-2', 'Challenger 2', 'Challenger 2', 'mbt', 'GBR',
    ['120mm rifled'], 4, 3, ['challenger2-crew'], 'high'],
  ['pt-91', 'PT-91 Twardy', 'T-72', 'mbt', 'POL', ['125mm'], 3, 2, [], 'medium'],
  ['bradley-m2', 'M2A2 Bradley', 'Bradley', 'ifv', 'USA', ['25mm', 'TOW'], 3, 2, ['bradley-crew'], 'medium'],
  ['marder-1a3', 'Marder 1A3', 'Marder', 'ifv', 'DEU', ['20mm', 'MILAN'], 3, 2, ['marder-crew'], 'medium'],
  ['cv9040c', 'CV9040C', 'CV90', 'ifv', 'SWE', ['40mm'], 3, 2, ['cv90-crew'], 'medium'],
  ['cv9035', 'CV9035 MkIIIC', 'CV90', 'ifv', 'SWE/DNK', ['35mm'], 3, 2, ['cv90-crew'], 'medium'],
  ['lynx-kf41', 'Lynx KF41', 'Lynx', 'ifv', 'DEU', ['30mm'], 3, 2, ['lynx-crew'], 'high'],
  ['bayraktar-tb2', 'Bayraktar TB2', 'Bayraktar TB2', 'drone', 'TUR',
    ['MAM-L'], 4, 2, ['uas-operator'], 'medium'],
  ['switchblade-600', 'Switchblade 600 loitering munition', 'Switchblade', 'drone', 'USA',
    [], 2, 0, ['loitering-munition-operator'], 'low'],
  ['puma-ae', 'RQ-20 Puma AE', 'Puma', 'drone', 'USA', [], 2, 1, ['uas-operator'], 'low'],
  // FPV drones are flown by crews Ukraine trains itself; a unit is one airframe.
  ['fpv-strike', 'FPV strike drone', 'FPV quadcopter', 'drone', 'LVA/GBR', [], 0, 0, [], 'low'],
];

/** The systems catalogue. */
export const catalog: System[] = systemRows.map(
  ([
    id,
    name,
    family,
    category,
    origin,
    calibers,
    crewPerUnit,
    maintainersPerUnit,
    courseIds,
    maintenanceBurden,
  ]) => ({
    id,
    name,
    family,
    category,
    coalition: coalitionOf[category],
    origin,
    calibers,
    crewPerUnit,
    maintainersPerUnit,
    courseIds,
    maintenanceBurden,
  }),
);

/** The catalogue by system id. */
export const catalogById: ReadonlyMap<string, System> = new Map(catalog.map((s) => [s.id, s]));

type InventoryRow = [family: string, category: Category, count: number, origin: string, calibers: string[]];

// As of mid-2024, before the first Mirage 2000 deliveries (Feb 2025), so the Mirage case stays a new family.
const inventoryRows: InventoryRow[] = [
  ['F-16', 'fighter', 20, 'USA', ['AIM-120 AMRAAM', 'AIM-9 Sidewinder', '20mm']],
  ['MiG-29', 'fighter', 40, 'USSR', ['R-27', 'R-73', '30mm GSh-30']],
  ['Su-27', 'fighter', 25, 'USSR', ['R-27', 'R-73', '30mm GSh-30']],
  ['Su-24', 'fighter', 12, 'USSR', ['Storm Shadow', '23mm']],
  ['Su-25', 'fighter', 15, 'USSR', ['S-8', '30mm GSh-30']],
  ['Patriot', 'air-defence-long', 6, 'USA', ['PAC-3 MSE', 'PAC-2 GEM-T']],
  ['S-300', 'air-defence-long', 20, 'USSR', ['5V55']],
  ['IRIS-T', 'air-defence-medium', 6, 'DEU', ['IRIS-T SL']],
  ['NASAMS', 'air-defence-medium', 8, 'NOR/USA', ['AIM-120 AMRAAM']],
  ['HAWK', 'air-defence-medium', 10, 'USA/ESP', ['MIM-23 HAWK']],
  ['Buk', 'air-defence-medium', 15, 'USSR', ['9M38']],
  ['Gepard', 'air-defence-short', 52, 'DEU', ['35mm']],
  ['Osa', 'air-defence-short', 30, 'USSR', ['9M33']],
  ['M777', 'howitzer', 190, 'USA', ['155mm']],
  ['CAESAR', 'howitzer', 49, 'FRA', ['155mm']],
  ['PzH 2000', 'howitzer', 12, 'DEU', ['155mm']],
  ['AS90', 'howitzer', 30, 'GBR', ['155mm']],
  ['Krab', 'howitzer', 78, 'POL', ['155mm']],
  ['Zuzana 2', 'howitzer', 16, 'SVK', ['155mm']],
  ['M109', 'howitzer', 60, 'USA', ['155mm']],
  ['2S19 Msta-S', 'howitzer', 40, 'USSR', ['152mm']],
  ['D-20', 'howitzer', 100, 'USSR', ['152mm']],
  ['2S1 Gvozdika', 'howitzer', 150, 'USSR', ['122mm']],
  ['L119', 'howitzer', 50, 'GBR', ['105mm']],
  ['HIMARS', 'mlrs', 40, 'USA', ['GMLRS', 'ATACMS']],
  ['M270', 'mlrs', 20, 'USA/GBR', ['GMLRS']],
  ['BM-21 Grad', 'mlrs', 150, 'USSR', ['122mm']],
  ['T-64', 'mbt', 600, 'USSR', ['125mm']],
  ['T-72', 'mbt', 400, 'USSR', ['125mm']],
  ['Leopard 2', 'mbt', 60, 'DEU', ['120mm']],
  ['Leopard 1', 'mbt', 100, 'DEU', ['105mm']],
  ['Abrams', 'mbt', 31, 'USA', ['120mm']],
  ['Challenger 2', 'mbt', 14, 'GBR', ['120mm rifled']],
  ['BMP-1', 'ifv', 400, 'USSR', ['73mm']],
  ['BMP-2', 'ifv', 500, 'USSR', ['30mm']],
  ['Bradley', 'ifv', 109, 'USA', ['25mm', 'TOW']],
  ['Marder', 'ifv', 40, 'DEU', ['20mm', 'MILAN']],
  ['CV90', 'ifv', 50, 'SWE', ['40mm']],
];

/** Ukraine's operated families per category. */
export const inventory: InventoryEntry[] = inventoryRows.map(
  ([family, category, count, origin, calibers]) => ({
    family,
    category,
    count,
    origin,
    calibers,
  }),
);

/** Calibres and munitions Ukraine is supplied with. */
export const ammunitionSupply: string[] = [
  // Left out on purpose: 35mm (Gepard's Swiss-made rounds, re-export blocked), 120mm rifled
  // (Challenger 2, non-NATO-standard), Aster 30 (SAMP/T, scarce) and the Mirage/Gripen munitions.
  '155mm',
  '152mm',
  '122mm',
  '105mm',
  '125mm',
  '120mm',
  '73mm',
  '40mm',
  '30mm',
  '25mm',
  '23mm',
  '20mm',
  '12.7mm',
  '35mm AHEAD',
  'GMLRS',
  'ATACMS',
  'AIM-120 AMRAAM',
  'AIM-9 Sidewinder',
  'PAC-3 MSE',
  'PAC-2 GEM-T',
  'IRIS-T SL',
  'MIM-23 HAWK',
  'FIM-92 Stinger',
  'TOW',
  'MILAN',
  'Storm Shadow',
  'R-27',
  'R-73',
  '30mm GSh-30',
  'S-8',
  '5V55',
  '9M38',
  '9M33',
  'MAM-L',
];

/** Ukraine's capability needs; priority 1 is the most urgent. */
export const needs: Need[] = [
  {
    id: 'long-range-air-defence',
    category: 'air-defence-long',
    family: null,
    description: 'Long-range air and missile defence batteries against ballistic and cruise missiles',
    quantity: 7,
    priority: 1,
    status: 'open',
  },
  {
    id: 'iris-t-fire-units',
    category: 'air-defence-medium',
    family: 'IRIS-T',
    description: 'IRIS-T SLM fire units to cover cities and energy infrastructure',
    quantity: 12,
    priority: 1,
    status: 'open',
  },
  {
    id: 'howitzers-155mm',
    category: 'howitzer',
    family: null,
    description: '155 mm howitzers to replace worn Soviet 152 mm guns',
    quantity: 100,
    priority: 1,
    status: 'open',
  },
  {
    id: 'medium-range-air-defence',
    category: 'air-defence-medium',
    family: null,
    description: 'Medium-range air defence fire units',
    quantity: 10,
    priority: 2,
    status: 'open',
  },
  {
    id: 'short-range-air-defence',
    category: 'air-defence-short',
    family: null,
    description: 'Short-range air defence against drones and cruise missiles',
    quantity: 50,
    priority: 2,
    status: 'open',
  },
  {
    id: 'fighters-f16',
    category: 'fighter',
    family: 'F-16',
    description: 'F-16 to complete the squadrons whose pilots are already in training',
    quantity: 30,
    priority: 2,
    status: 'open',
  },
  {
    id: 'himars-launchers',
    category: 'mlrs',
    family: 'HIMARS',
    description: 'HIMARS launchers for long-range precision fires',
    quantity: 20,
    priority: 2,
    status: 'open',
  },
  {
    id: 'strike-drones',
    category: 'drone',
    family: null,
    description: 'Strike and reconnaissance drones towards the coalition goal of one million',
    quantity: 1_000_000,
    priority: 2,
    status: 'open',
  },
  {
    id: 'leopard-2-battalion',
    category: 'mbt',
    family: 'Leopard 2',
    description: 'Leopard 2 tanks for one more tank battalion of 31',
    quantity: 31,
    priority: 3,
    status: 'open',
  },
  {
    id: 'bradley-ifvs',
    category: 'ifv',
    family: 'Bradley',
    description: 'Bradley infantry fighting vehicles to replace losses',
    quantity: 50,
    priority: 3,
    status: 'open',
  },
  {
    id: 'ifvs',
    category: 'ifv',
    family: null,
    description: 'Infantry fighting vehicles for new mechanised brigades',
    quantity: 100,
    priority: 4,
    status: 'open',
  },
  {
    id: 'leopard-1-tanks',
    category: 'mbt',
    family: 'Leopard 1',
    description: 'Leopard 1A5 tanks delivered by the DEU-DNK-NLD initiative',
    quantity: 100,
    priority: 3,
    status: 'met',
  },
];

/** Training sites in allied countries. */
export const sites: Site[] = [
  { id: 'tucson', name: 'Morris Air National Guard Base, Tucson', nation: 'USA' },
  { id: 'skrydstrup', name: 'Fighter Wing Skrydstrup', nation: 'DNK' },
  { id: 'fetesti', name: 'European F-16 Training Centre, Fetesti', nation: 'ROU' },
  { id: 'cranwell', name: 'RAF College Cranwell', nation: 'GBR' },
  { id: 'cazaux', name: 'Cazaux Air Base', nation: 'FRA' },
  { id: 'nancy', name: 'Nancy-Ochey Air Base', nation: 'FRA' },
  { id: 'mont-de-marsan', name: 'Mont-de-Marsan Air Base', nation: 'FRA' },
  { id: 'satenas', name: 'Satenas Air Base (F 7)', nation: 'SWE' },
  { id: 'fort-sill', name: 'Fort Sill', nation: 'USA' },
  { id: 'todendorf', name: 'Todendorf Air Defence Range', nation: 'DEU' },
  { id: 'orland', name: 'Orland Air Station', nation: 'NOR' },
  { id: 'sabaudia', name: 'Air Defence Artillery School, Sabaudia', nation: 'ITA' },
  { id: 'putlos', name: 'Putlos Training Area', nation: 'DEU' },
  { id: 'grafenwoehr', name: 'Grafenwoehr Training Area', nation: 'DEU' },
  { id: 'hohenfels', name: 'Hohenfels Training Area', nation: 'DEU' },
  { id: 'munster', name: 'Munster Training Area', nation: 'DEU' },
  { id: 'idar-oberstein', name: 'Artillery School, Idar-Oberstein', nation: 'DEU' },
  { id: 'rukla', name: 'Rukla Repair Workshop', nation: 'LTU' },
  { id: 'larkhill', name: 'Royal School of Artillery, Larkhill', nation: 'GBR' },
  { id: 'bovington', name: 'Armour Centre, Bovington', nation: 'GBR' },
  { id: 'canjuers', name: 'Canjuers Camp', nation: 'FRA' },
  { id: 'oksbol', name: 'Oksboel Training Area', nation: 'DNK' },
  { id: 'torun', name: 'Artillery Training Centre, Torun', nation: 'POL' },
  { id: 'swietoszow', name: 'Swietoszow Training Area', nation: 'POL' },
  { id: 'lest', name: 'Lest Military Training Area', nation: 'SVK' },
  { id: 'boden', name: 'Boden Artillery Regiment', nation: 'SWE' },
  { id: 'libava', name: 'Libava Military Training Area', nation: 'CZE' },
  { id: 'skillingaryd', name: 'Skillingaryd Training Area', nation: 'SWE' },
  { id: 'adazi', name: 'Adazi Training Area', nation: 'LVA' },
];

type CourseRow = [
  id: string,
  name: string,
  durationDays: number,
  prerequisiteIds: string[],
  minCohort: number,
  maxCohort: number,
  audience: Course['audience'],
  siteIds: string[],
];

// prettier-ignore
const courseRows: CourseRow[] = [
  ['aviation-english', 'Aviation English and elementary flying', 112, [], 8, 16, 'crew', ['cranwell']],
  ['advanced-jet', 'Advanced jet training (Alpha Jet)', 90, ['aviation-english'], 4, 12, 'crew', ['cazaux']],
  ['f16-conversion', 'F-16 pilot conversion', 180, ['aviation-english'],
    4, 8, 'crew', ['tucson', 'skrydstrup', 'fetesti']],
  ['f16-maintainer', 'F-16 maintainer course', 120, [], 20, 65, 'maintainer', ['skrydstrup', 'fetesti']],
  ['mirage-2000-conversion', 'Mirage 2000-5 pilot conversion', 180, ['advanced-jet'],
    4, 8, 'crew', ['nancy', 'mont-de-marsan']],
  ['mirage-2000-maintainer', 'Mirage 2000-5 mechanic course', 120, [],
    10, 40, 'maintainer', ['mont-de-marsan']],
  ['gripen-conversion', 'Gripen pilot conversion', 180, ['aviation-english'], 4, 8, 'crew', ['satenas']],
  ['gripen-maintainer', 'Gripen technician course', 90, [], 10, 30, 'maintainer', ['satenas']],
  ['patriot-operator', 'Patriot operator course', 70, [], 30, 65, 'crew', ['fort-sill']],
  ['patriot-maintainer', 'Patriot maintainer course', 70, [], 10, 30, 'maintainer', ['fort-sill']],
  ['samp-t-course', 'SAMP/T operator and maintainer course', 56, [], 20, 60, 'all', ['sabaudia']],
  ['iris-t-operator', 'IRIS-T SLM operator course', 56, [], 15, 30, 'crew', ['todendorf']],
  ['iris-t-maintainer', 'IRIS-T SLM maintainer course', 42, [], 6, 20, 'maintainer', ['todendorf']],
  ['iris-t-sls-crew', 'IRIS-T SLS crew course', 28, [], 6, 24, 'all', ['todendorf']],
  ['nasams-operator', 'NASAMS operator course', 56, [], 15, 30, 'crew', ['orland']],
  ['nasams-maintainer', 'NASAMS maintainer course', 42, [], 6, 20, 'maintainer', ['orland']],
  ['hawk-course', 'HAWK operator and maintainer course', 56, [], 15, 40, 'all', ['fort-sill']],
  ['gepard-crew', 'Gepard crew and maintainer course', 42, [], 10, 40, 'all', ['putlos']],
  ['skynex-crew', 'Skynex crew course', 28, [], 6, 24, 'all', ['putlos']],
  ['avenger-crew', 'Avenger crew course', 21, [], 6, 30, 'all', ['grafenwoehr']],
  ['m777-crew', 'M777 gun crew course', 28, [], 20, 60, 'crew', ['grafenwoehr', 'larkhill']],
  ['caesar-crew', 'CAESAR crew course', 70, [], 20, 40, 'crew', ['canjuers', 'oksbol']],
  ['pzh2000-crew', 'PzH 2000 crew course', 40, [], 18, 60, 'crew', ['idar-oberstein']],
  ['pzh2000-maintenance', 'PzH 2000 maintenance course', 14, [], 6, 24, 'maintainer', ['rukla']],
  ['as90-crew', 'AS90 crew course', 35, [], 15, 40, 'crew', ['larkhill']],
  ['krab-crew', 'Krab crew course', 42, [], 15, 40, 'crew', ['torun']],
  ['zuzana-crew', 'Zuzana 2 crew course', 28, [], 10, 30, 'crew', ['lest']],
  ['m109-crew', 'M109 crew course', 35, [], 15, 40, 'crew', ['grafenwoehr']],
  ['archer-crew', 'Archer crew course', 42, [], 10, 30, 'crew', ['boden']],
  ['rch155-crew', 'RCH 155 crew course', 42, [], 10, 30, 'crew', ['idar-oberstein']],
  ['l119-crew', 'L119 light gun crew course', 28, [], 10, 40, 'crew', ['larkhill']],
  ['himars-crew', 'HIMARS crew course', 21, [], 12, 36, 'crew', ['grafenwoehr', 'fort-sill']],
  ['m270-crew', 'M270 / MARS II crew course', 28, [], 12, 36, 'crew', ['larkhill', 'idar-oberstein']],
  ['rm70-crew', 'RM-70 crew course', 21, [], 8, 30, 'crew', ['libava']],
  ['leopard2-crew', 'Leopard 2 crew course', 42, [], 20, 124, 'crew', ['munster', 'swietoszow']],
  ['leopard2-maintainer', 'Leopard 2 maintainer course', 28, [], 10, 40, 'maintainer', ['munster']],
  ['leopard1-crew', 'Leopard 1 crew course', 42, [], 20, 80, 'crew', ['oksbol']],
  ['abrams-crew', 'Abrams crew course', 70, [], 40, 200, 'crew', ['grafenwoehr']],
  ['abrams-maintainer', 'Abrams maintainer course', 84, [], 40, 200, 'maintainer', ['hohenfels']],
  ['challenger2-crew', 'Challenger 2 crew course', 35, [], 20, 60, 'crew', ['bovington']],
  ['bradley-crew', 'Bradley combined arms course', 35, [], 60, 600, 'crew', ['grafenwoehr']],
  ['marder-crew', 'Marder crew course', 56, [], 20, 80, 'crew', ['munster']],
  ['cv90-crew', 'CV90 crew course', 42, [], 20, 60, 'crew', ['skillingaryd']],
  ['lynx-crew', 'Lynx crew course', 42, [], 20, 60, 'crew', ['munster']],
  ['uas-operator', 'Unmanned aircraft operator course', 28, [], 10, 60, 'crew', ['adazi']],
  ['loitering-munition-operator', 'Loitering munition operator course', 14, [],
    10, 40, 'crew', ['grafenwoehr']],
];

/** Training courses. */
export const courses: Course[] = courseRows.map(
  ([id, name, durationDays, prerequisiteIds, minCohort, maxCohort, audience]) => ({
    id,
    name,
    durationDays,
    prerequisiteIds,
    minCohort,
    maxCohort,
    audience,
  }),
);

/** The sites that offer each course. */
export const courseSites: Record<string, string[]> = Object.fromEntries(
  courseRows.map(([id, , , , , , , siteIds]) => [id, siteIds]),
);

const DAY_MS = 86_400_000;
const parseDay = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const formatDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const addMonths = (date: string, months: number): string => {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return formatDay(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d, lastDay)));
};

const firstClassAfterDays = defaultSessionMinimumCutoffDays + 7;

/** Sessions of every course at each of its sites, held entirely within `months` of `from` (YYYY-MM-DD). */
export function generateSessions(from: string, months = 18): Session[] {
  const start = parseDay(from);
  if (Number.isNaN(start) || formatDay(start) !== from) {
    throw new RangeError(`from must be a date YYYY-MM-DD, got '${from}'`);
  }
  const horizon = parseDay(addMonths(from, months));
  const sessions: Session[] = [];
  for (const course of courses) {
    const siteIds = courseSites[course.id] ?? [];
    // A site opens a new class every month for short courses and every quarter for long ones, so
    // cohorts overlap at long courses as they do at the F-16 schools.
    const cadenceDays = Math.min(91, Math.max(28, course.durationDays));
    siteIds.forEach((siteId, index) => {
      // Stagger the sites of one course so their classes do not all start on the same day. The first class
      // opens a week after the minimum cutoff: a session nobody joined by its cutoff takes only trainees who
      // fill it, so earlier classes would be closed to most pledges planned after seeding.
      const offsetDays = firstClassAfterDays + Math.floor((index * cadenceDays) / siteIds.length);
      for (let day = start + offsetDays * DAY_MS; ; day += cadenceDays * DAY_MS) {
        const end = day + course.durationDays * DAY_MS;
        if (end > horizon) break;
        const startDate = formatDay(day);
        sessions.push({
          id: `${course.id}-${siteId}-${startDate.replaceAll('-', '')}`,
          courseId: course.id,
          siteId,
          start: startDate,
          end: formatDay(end),
          seats: course.maxCohort,
        });
      }
    });
  }
  return sessions;
}

/** A bilateral security agreement as seeded. */
export interface SeedAgreement {
  id: string;
  donor: string;
  title: string;
  signedOn: string;
  termYears: number;
  /** First-year figures as publicly reported in EUR; null where none was (or only in another currency). */
  commitments: Array<{ year: number; valueEur: number | null }>;
  status: 'in_force';
  sourceUrl: string;
}

// Bilateral security agreements under the G7 Joint Declaration of Support for Ukraine (Vilnius, 12 July 2023).
// Dates, terms and first-year figures as publicly reported; later years are not public and are left out.
export const agreements: SeedAgreement[] = [
  // Signed in Kyiv on 12 Jan 2024, for 10 years (euromaidanpress.com, 14 Jan 2024). The first-year figure was
  // given as £2.5bn for the financial year 2024/25, in pounds and not by calendar year: left empty, not converted.
  {
    id: 'gbr-2024-01-12',
    donor: 'GBR',
    title: 'UK–Ukraine Agreement on Security Co-operation',
    signedOn: '2024-01-12',
    termYears: 10,
    commitments: [{ year: 2024, valueEur: null }],
    status: 'in_force',
    sourceUrl:
      'https://euromaidanpress.com/2024/01/14/a-security-agreement-with-the-uk-is-bilateral-ukraine-will-also-assist-if-the-uk-faces-any-future-aggression-prime-minister/',
  },
  // Signed in Berlin on 16 Feb 2024, valid ten years from signature; EUR 7.1bn of financial and military
  // assistance for 2024 (pravda.com.ua/eng/news/2024/02/16/7442194, quoting the President's Office).
  {
    id: 'deu-2024-02-16',
    donor: 'DEU',
    title: 'Agreement on security cooperation and long-term support between Germany and Ukraine',
    signedOn: '2024-02-16',
    termYears: 10,
    commitments: [{ year: 2024, valueEur: 7_100_000_000 }],
    status: 'in_force',
    sourceUrl: 'https://www.pravda.com.ua/eng/news/2024/02/16/7442194/',
  },
  // Signed in Paris on 16 Feb 2024 for ten years; "up to" EUR 3bn of military aid in 2024
  // (pravda.com.ua/eng/news/2024/02/16/7442267; Elysée via english.alarabiya.net).
  {
    id: 'fra-2024-02-16',
    donor: 'FRA',
    title: 'Agreement on security cooperation between France and Ukraine',
    signedOn: '2024-02-16',
    termYears: 10,
    commitments: [{ year: 2024, valueEur: 3_000_000_000 }],
    status: 'in_force',
    sourceUrl: 'https://www.pravda.com.ua/eng/news/2024/02/16/7442267/',
  },
  // Signed in Lviv on 23 Feb 2024 for ten years; "at least" EUR 1.8bn of military support in 2024
  // (the text, president.gov.ua, 23 Feb 2024).
  {
    id: 'dnk-2024-02-23',
    donor: 'DNK',
    title: 'Agreement on security cooperation and long-term support between Ukraine and Denmark',
    signedOn: '2024-02-23',
    termYears: 10,
    commitments: [{ year: 2024, valueEur: 1_800_000_000 }],
    status: 'in_force',
    sourceUrl:
      'https://www.president.gov.ua/en/news/ugoda-pro-spivrobitnictvo-u-sferi-bezpeki-ta-dovgostrokovu-p-89185',
  },
  // Signed in Kharkiv on 1 Mar 2024 for ten years; EUR 2bn of military aid in 2024
  // (pravda.com.ua/eng/news/2024/03/1/7444556).
  {
    id: 'nld-2024-03-01',
    donor: 'NLD',
    title: 'Agreement on security cooperation between the Netherlands and Ukraine',
    signedOn: '2024-03-01',
    termYears: 10,
    commitments: [{ year: 2024, valueEur: 2_000_000_000 }],
    status: 'in_force',
    sourceUrl: 'https://www.pravda.com.ua/eng/news/2024/03/1/7444556/',
  },
];
