/**
 * Singapore's 28 postal districts, each a set of two-digit postal sectors (the
 * first two digits of a six-digit postal code), with the planning region a
 * district mostly lies in. ICP rules filter on districts or regions; the SQL
 * compares the first two digits of `postal_code`.
 */
export const REGIONS = ["central", "east", "north", "north-east", "west"] as const;
export type Region = (typeof REGIONS)[number];

export type PostalDistrict = { district: number; sectors: string[]; name: string; region: Region };

export const POSTAL_DISTRICTS: readonly PostalDistrict[] = [
  { district: 1, sectors: ["01", "02", "03", "04", "05", "06"], name: "Raffles Place, Cecil, Marina, People's Park", region: "central" },
  { district: 2, sectors: ["07", "08"], name: "Anson, Tanjong Pagar", region: "central" },
  { district: 3, sectors: ["14", "15", "16"], name: "Queenstown, Tiong Bahru", region: "central" },
  { district: 4, sectors: ["09", "10"], name: "Telok Blangah, Harbourfront", region: "central" },
  { district: 5, sectors: ["11", "12", "13"], name: "Pasir Panjang, Hong Leong Garden, Clementi New Town", region: "west" },
  { district: 6, sectors: ["17"], name: "High Street, Beach Road", region: "central" },
  { district: 7, sectors: ["18", "19"], name: "Middle Road, Golden Mile", region: "central" },
  { district: 8, sectors: ["20", "21"], name: "Little India", region: "central" },
  { district: 9, sectors: ["22", "23"], name: "Orchard, Cairnhill, River Valley", region: "central" },
  { district: 10, sectors: ["24", "25", "26", "27"], name: "Ardmore, Bukit Timah, Holland Road, Tanglin", region: "central" },
  { district: 11, sectors: ["28", "29", "30"], name: "Watten Estate, Novena, Thomson", region: "central" },
  { district: 12, sectors: ["31", "32", "33"], name: "Balestier, Toa Payoh, Serangoon", region: "central" },
  { district: 13, sectors: ["34", "35", "36", "37"], name: "Macpherson, Braddell", region: "central" },
  { district: 14, sectors: ["38", "39", "40", "41"], name: "Geylang, Eunos", region: "central" },
  { district: 15, sectors: ["42", "43", "44", "45"], name: "Katong, Joo Chiat, Amber Road", region: "east" },
  { district: 16, sectors: ["46", "47", "48"], name: "Bedok, Upper East Coast, Eastwood, Kew Drive", region: "east" },
  { district: 17, sectors: ["49", "50", "81"], name: "Loyang, Changi", region: "east" },
  { district: 18, sectors: ["51", "52"], name: "Tampines, Pasir Ris", region: "east" },
  { district: 19, sectors: ["53", "54", "55", "82"], name: "Serangoon Garden, Hougang, Punggol", region: "north-east" },
  { district: 20, sectors: ["56", "57"], name: "Bishan, Ang Mo Kio", region: "central" },
  { district: 21, sectors: ["58", "59"], name: "Upper Bukit Timah, Clementi Park, Ulu Pandan", region: "central" },
  { district: 22, sectors: ["60", "61", "62", "63", "64"], name: "Jurong", region: "west" },
  { district: 23, sectors: ["65", "66", "67", "68"], name: "Hillview, Dairy Farm, Bukit Panjang, Choa Chu Kang", region: "west" },
  { district: 24, sectors: ["69", "70", "71"], name: "Lim Chu Kang, Tengah", region: "west" },
  { district: 25, sectors: ["72", "73"], name: "Kranji, Woodgrove", region: "north" },
  { district: 26, sectors: ["77", "78"], name: "Upper Thomson, Springleaf", region: "north" },
  { district: 27, sectors: ["75", "76"], name: "Yishun, Sembawang", region: "north" },
  { district: 28, sectors: ["79", "80"], name: "Seletar", region: "north-east" },
];

const DISTRICT_BY_SECTOR = new Map(POSTAL_DISTRICTS.flatMap((d) => d.sectors.map((s) => [s, d] as const)));

export function postalDistrictOf(postalCode: string | null | undefined): PostalDistrict | undefined {
  if (!postalCode || !/^\d{6}$/.test(postalCode)) return undefined;
  return DISTRICT_BY_SECTOR.get(postalCode.slice(0, 2));
}

/** The postal sectors of some districts and regions, sorted and without repeats. */
export function postalSectorsFor(districts: readonly number[] = [], regions: readonly Region[] = []): string[] {
  const sectors = new Set<string>();
  for (const d of POSTAL_DISTRICTS) {
    if (districts.includes(d.district) || regions.includes(d.region)) d.sectors.forEach((s) => sectors.add(s));
  }
  return [...sectors].sort();
}
