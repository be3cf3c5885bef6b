import { byKind, dedupe, type SourcePage } from "./source-pages.server";

/** Cities and countries a regional company names as places it works from. */
const PLACES = [
  "Singapore",
  "Kuala Lumpur",
  "Penang",
  "Johor Bahru",
  "Malaysia",
  "Jakarta",
  "Batam",
  "Indonesia",
  "Bangkok",
  "Thailand",
  "Ho Chi Minh City",
  "Hanoi",
  "Vietnam",
  "Manila",
  "Philippines",
  "Yangon",
  "Phnom Penh",
  "Hong Kong",
  "Shanghai",
  "Shenzhen",
  "Beijing",
  "China",
  "Taipei",
  "Taiwan",
  "Tokyo",
  "Japan",
  "Seoul",
  "South Korea",
  "Sydney",
  "Melbourne",
  "Australia",
  "Mumbai",
  "Bangalore",
  "Bengaluru",
  "India",
  "Dubai",
  "London",
  "United Kingdom",
  "United States",
];
const PRESENCE = /\b(?:offices?|presence|based|located|headquartered|headquarters|operations?|branches|hubs?)\s+(?:in|across|at)\s+([^.\n]{2,160})/gi;

/** The address inside a sentence ("Call us or visit our office at 90 Toa Payoh Lorong 8, #05-11, Singapore 319260."): from its block or street number to the postal code. */
const ADDRESS_IN_PROSE = /(?<=\b(?:at|is|to)\s+)(?:(?:blk|block)\s+)?\d{1,5}[a-z]?\s+[A-Z][^.!?;]*?\bSingapore\s+\d{6}\b/i;

/** Singapore addresses (postal code included), then the other places the company says it has offices or operations in. */
export function findLocations(pages: readonly SourcePage[]): string[] {
  const addresses: string[] = [];
  const places: string[] = [];
  for (const page of byKind(pages)) {
    const lines = page.text.split("\n").map((l) => l.trim());
    lines.forEach((line, i) => {
      if (!/\bSingapore\s+\d{6}\b/.test(line)) return;
      // An address split over lines: "10 Science Park Road" / "Singapore 117684".
      const full = /^\s*Singapore\s+\d{6}\s*$/.test(line) && i > 0 && lines[i - 1] ? `${lines[i - 1]}, ${line}` : line;
      const address = (ADDRESS_IN_PROSE.exec(full)?.[0] ?? full)
        .replace(/^(address|office|hq|headquarters)\s*[:\-–]\s*/i, "")
        .replace(/\s+/g, " ")
        .trim();
      if (address.length <= 160) addresses.push(address);
    });
    for (const m of page.text.matchAll(PRESENCE)) {
      for (const place of PLACES) if (new RegExp(`\\b${place}\\b`, "i").test(m[1]!)) places.push(place);
    }
  }
  const joined = addresses.join(" | ").toLowerCase();
  const extra = places.filter((p) => !joined.includes(p.toLowerCase()));
  return dedupe([...addresses, ...extra]).slice(0, 10);
}
