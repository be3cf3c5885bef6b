import { Readable } from "node:stream";
import { ACRA_COLUMN_NAMES, LEGACY_ONLY_COLUMNS } from "./acra-columns";
import {
  AUDIT_FIRMS,
  BUILDINGS,
  COMPANY_STATUSES,
  DEMO_COMPANIES,
  ENTITY_TYPE,
  FOREIGN_CITIES,
  KINDS,
  LETTERS,
  NAME_STEMS,
  OTHER_STATUSES,
  STREETS,
  THEMES,
  type DemoCompany,
  type Kind,
  type Theme,
} from "./sample-vocabulary";
import { ssicTitle } from "./ssic-2020";

/**
 * Realistic, deterministic rows in the format of ACRA's "Information on
 * Corporate Entities" CSVs: plausible Singapore names, UENs of the right
 * shapes, SSIC 2020 codes with their titles, statuses, dates, addresses with
 * postal codes that match their streets, `na` for missing values, and (unless
 * turned off) a few malformed rows and duplicate UENs like real files have.
 */
export type SampleOptions = {
  rows: number;
  seed?: number;
  /** Share of rows deliberately broken (bad date, missing UEN, wrong field count…). Default 0.002. */
  malformedRate?: number;
  /** Share of rows repeating an earlier UEN with changed details. Default 0.001. */
  duplicateRate?: number;
  /** "legacy" is the 94-column layout; "current" drops no_of_charges and paid_up_capital* (53 columns). */
  layout?: "legacy" | "current";
  /** Start with the hand-picked demo companies (CODIGO PTE. LTD. and others). Default true. */
  includeDemoCompanies?: boolean;
  /** The "today" of the data set; dates are drawn before it. Default 2026-09-30. */
  asOf?: string;
};

type Row = Record<string, string>;

/** Small, fast, seedable PRNG (mulberry32). */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
    weighted: <T>(items: ReadonlyArray<readonly [T, number]>): T => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return items[items.length - 1]![0];
    },
  };
}

type Rng = ReturnType<typeof prng>;

function pad(n: number, width: number) {
  return String(n).padStart(width, "0");
}

function isoDate(d: Date) {
  return d.toISOString().slice(0, 10);
}

/** CSV quoting as RFC 4180: only fields that need it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const SAMPLE_DEFAULT_SEED = 20_261_122;

class SampleWriter {
  private rng: Rng;
  private serials = new Map<string, number>();
  private issued: string[] = [];
  private asOf: Date;
  private themeTable: ReadonlyArray<readonly [Theme, number]>;

  constructor(
    private readonly options: Required<SampleOptions>,
    private readonly columns: readonly string[],
  ) {
    this.rng = prng(options.seed);
    this.asOf = new Date(`${options.asOf}T00:00:00Z`);
    this.themeTable = THEMES.map((t) => [t, t.weight] as const);
    for (const d of DEMO_COMPANIES) this.issued.push(d.uen);
  }

  header(): string {
    return this.columns.join(",") + "\n";
  }

  line(row: Row): string {
    return this.columns.map((c) => csvField(row[c] ?? "na")).join(",") + "\n";
  }

  private serial(key: string, start: number, limit: number): number | undefined {
    const next = this.serials.get(key) ?? start + this.rng.int(0, 300);
    if (next >= limit) return undefined;
    this.serials.set(key, next + 1 + (this.rng.chance(0.3) ? this.rng.int(1, 3) : 0));
    return next;
  }

  private uenFor(kind: Kind, year: number): string {
    const check = this.rng.pick([...LETTERS]);
    if (kind === "local" || kind === "public") {
      for (let y = year; ; y = y >= this.asOf.getUTCFullYear() ? 1970 : y + 1) {
        const n = this.serial(`c${y}`, 1, 90_000);
        if (n !== undefined) return `${y}${pad(n, 5)}${check}`;
      }
    }
    if (kind === "business") return `${pad(this.serial("b", 53_000_000, 99_999_999)!, 8)}${check}`;
    const code = { foreign: "FC", llp: "LL", lp: "LP", paf: "PF" }[kind];
    for (let y = Math.max(year, 1990); ; y = y >= this.asOf.getUTCFullYear() ? 1990 : y + 1) {
      const n = this.serial(`${code}${y}`, 1, 9_000);
      if (n !== undefined) return `${y >= 2000 ? "T" : "S"}${pad(y % 100, 2)}${code}${pad(n, 4)}${check}`;
    }
  }

  private dateBetween(from: Date, to: Date): Date {
    const span = Math.max(0, to.getTime() - from.getTime());
    return new Date(from.getTime() + Math.floor(this.rng.next() * (span / 86_400_000)) * 86_400_000);
  }

  private incorporationDate(kind: Kind): Date {
    const r = this.rng.next();
    const yearsBack = r < 0.5 ? this.rng.next() * 10 : r < 0.8 ? 10 + this.rng.next() * 15 : 25 + this.rng.next() * (kind === "llp" ? 0 : 35);
    const d = new Date(this.asOf.getTime() - Math.floor(yearsBack * 365.25) * 86_400_000 - this.rng.int(1, 30) * 86_400_000);
    return kind === "llp" && d.getUTCFullYear() < 2005 ? new Date(Date.UTC(2005 + this.rng.int(0, 5), this.rng.int(0, 11), this.rng.int(1, 28))) : d;
  }

  private companyName(kind: Kind, theme: Theme): string {
    const stem = this.rng.pick(NAME_STEMS);
    const second = this.rng.chance(0.25) ? ` ${this.rng.pick(NAME_STEMS)}` : "";
    const word = this.rng.pick(theme.words);
    const base = `${stem}${second === ` ${stem}` ? "" : second} ${word}`;
    switch (kind) {
      case "local":
        return `${base} ${this.rng.weighted([
          ["PTE. LTD.", 90],
          ["PRIVATE LIMITED", 5],
          ["PTE LTD", 5],
        ] as const)}`;
      case "public":
        return `${base} ${this.rng.pick(["LIMITED", "LTD."])}`;
      case "foreign":
        return `${base} ${this.rng.pick(["LIMITED", "CORPORATION", "INC.", "CO., LTD."])}${this.rng.chance(0.5) ? " (SINGAPORE BRANCH)" : ""}`;
      case "llp":
        return `${base} LLP`;
      case "lp":
        return `${base} LP`;
      case "paf":
        return `${stem} ${this.rng.pick(["& CO.", "ASSURANCE", "PAC", "CHARTERED ACCOUNTANTS"])}`;
      case "business":
        return this.rng.chance(0.3) ? `${stem} ${this.rng.pick(["ENTERPRISE", "TRADING", "& CO.", "SERVICES", "STUDIO"])}` : base;
    }
  }

  private address(row: Row, streetIndex?: number) {
    const [street, sector] = streetIndex === undefined ? this.rng.pick(STREETS) : STREETS[streetIndex % STREETS.length]!;
    row.address_type = "LOCAL";
    row.block = `${this.rng.int(1, 999)}${this.rng.chance(0.1) ? this.rng.pick(["A", "B", "C"]) : ""}`;
    row.street_name = street;
    if (this.rng.chance(0.7)) {
      row.level_no = pad(this.rng.int(1, 40), 2);
      row.unit_no = `${pad(this.rng.int(1, 99), 2)}${this.rng.chance(0.05) ? "A" : ""}`;
    }
    if (this.rng.chance(0.45)) row.building_name = this.rng.pick(BUILDINGS);
    row.postal_code = `${sector}${pad(this.rng.int(0, 9999), 4)}`;
  }

  private ssic(row: Row, prefix: "primary" | "secondary", code: string) {
    row[`${prefix}_ssic_code`] = code;
    row[`${prefix}_ssic_description`] = ssicTitle(code) ?? "na";
  }

  company(): Row {
    const rng = this.rng;
    const kind = rng.weighted(KINDS);
    const theme = kind === "paf" ? THEMES.find((t) => t.codes.includes("69201"))! : rng.weighted(this.themeTable);
    const incorporated = this.incorporationDate(kind);
    const isCompany = kind === "local" || kind === "public" || kind === "foreign";
    const row: Row = {
      issuance_agency_id: "ACRA",
      uen: this.uenFor(kind, incorporated.getUTCFullYear()),
      entity_name: this.companyName(kind, theme),
      entity_type_description: ENTITY_TYPE[kind],
      entity_status_description: rng.weighted(isCompany ? COMPANY_STATUSES.filter(([s]) => s !== "Live") : OTHER_STATUSES),
      registration_incorporation_date: isoDate(incorporated),
      uen_issue_date: isoDate(incorporated),
    };
    if (kind === "local")
      row.company_type_description = rng.weighted([
        ["Private Company Limited by Shares", 88],
        ["Exempt Private Company Limited by Shares", 11],
        ["Public Company Limited by Guarantee", 1],
      ] as const);
    if (kind === "public") row.company_type_description = "Public Company Limited by Shares";
    if (kind === "business")
      row.business_constitution_description = rng.weighted([
        ["Sole-Proprietor", 80],
        ["Partnership", 20],
      ] as const);
    if (kind === "paf") row.paf_constitution_description = rng.pick(["Sole-Proprietor", "Partnership", "Limited Liability Partnership"]);
    if (kind === "foreign" && rng.chance(0.15)) {
      row.address_type = "FOREIGN";
      row.other_address_line1 = `${rng.int(1, 300)} ${rng.pick(["QUEEN'S ROAD", "NANJING ROAD", "KING STREET", "JALAN SULTAN", "MAIN STREET"])}`;
      row.other_address_line2 = rng.pick(FOREIGN_CITIES);
    } else {
      this.address(row);
    }
    if (isCompany) {
      const due = new Date(
        Date.UTC(this.asOf.getUTCFullYear() + (rng.chance(0.5) ? 0 : 1), incorporated.getUTCMonth(), Math.min(incorporated.getUTCDate(), 28)),
      );
      if (rng.chance(0.8)) row.account_due_date = isoDate(due);
      if (rng.chance(0.85)) row.annual_return_date = isoDate(this.dateBetween(new Date(this.asOf.getTime() - 540 * 86_400_000), this.asOf));
      row.no_of_charges = String(
        rng.weighted([
          [0, 80],
          [1, 12],
          [2, 5],
          [3, 3],
        ] as const),
      );
      row.paid_up_capital1_currency =
        kind === "foreign" ? rng.pick(["UNITED STATES OF AMERICA, DOLLARS", "HONG KONG, DOLLARS", "SINGAPORE, DOLLARS"]) : "SINGAPORE, DOLLARS";
      row.paid_up_capital1_ordinary = String(
        rng.weighted([
          [1, 10],
          [100, 15],
          [1000, 10],
          [10000, 15],
          [50000, 10],
          [100000, 20],
          [500000, 8],
          [1000000, 8],
          [5000000, 4],
        ] as const),
      );
      if (rng.chance(0.03)) row.paid_up_capital1_preference = String(rng.int(1, 50) * 10000);
      if (rng.chance(0.22)) {
        const [firmUen, firmName] = rng.pick(AUDIT_FIRMS);
        row.uen_of_audit_firm1 = firmUen;
        row.name_of_audit_firm1 = firmName;
      }
    }
    const code = rng.pick(theme.codes);
    this.ssic(row, "primary", code);
    if (rng.chance(0.18)) row.primary_user_described_activity = rng.pick(theme.activities);
    if (rng.chance(0.35)) {
      const other = rng.chance(0.6) ? rng.pick(theme.codes) : rng.pick(rng.weighted(this.themeTable).codes);
      if (other !== code) this.ssic(row, "secondary", other);
      if (other !== code && rng.chance(0.2)) row.secondary_user_described_activity = rng.pick(theme.activities);
    }
    row.no_of_officers = String(
      isCompany
        ? rng.weighted([
            [1, 25],
            [2, 35],
            [3, 18],
            [4, 9],
            [5, 5],
            [6, 3],
            [8, 3],
            [12, 2],
          ] as const)
        : rng.int(1, 3),
    );
    if (rng.chance(0.05)) row.former_entity_name1 = this.companyName(kind, rng.weighted(this.themeTable));
    if (rng.chance(0.005)) row.former_entity_name2 = this.companyName(kind, rng.weighted(this.themeTable));
    if (rng.chance(0.01)) row.primary_user_described_activity = "";
    this.issued.push(row.uen!);
    return row;
  }

  demo(d: DemoCompany): Row {
    const row: Row = {
      issuance_agency_id: "ACRA",
      uen: d.uen,
      entity_name: d.name,
      entity_type_description: d.name.endsWith("LLP") ? "Limited Liability Partnership" : "Local Company",
      company_type_description: d.name.endsWith("LLP") ? "na" : "Private Company Limited by Shares",
      entity_status_description: d.status,
      registration_incorporation_date: d.incorporated,
      uen_issue_date: d.incorporated,
      no_of_officers: "4",
      ...(d.activity ? { primary_user_described_activity: d.activity } : {}),
    };
    this.address(row, d.street);
    this.ssic(row, "primary", d.code);
    if (!d.name.endsWith("LLP")) {
      row.paid_up_capital1_currency = "SINGAPORE, DOLLARS";
      row.paid_up_capital1_ordinary = "100000";
      row.no_of_charges = "0";
    }
    return row;
  }

  /** A row a loader must reject, with what is wrong with it. */
  malformed(): string {
    const row = this.company();
    this.issued.pop();
    const kind = this.rng.int(0, 5);
    if (kind === 0) row.registration_incorporation_date = this.rng.pick(["31/02/2019", "2019-13-01", "2019-02-30", "15-07-2026", "20190704"]);
    if (kind === 1) row.uen = "na";
    if (kind === 2) row.no_of_officers = this.rng.pick(["three", "-1", "2.5"]);
    if (kind === 3) row.entity_name = "";
    if (kind === 4) row.account_due_date = "2024-04-31";
    if (kind === 5) return this.line(row).replace(/,[^,]*\n$/, "\n");
    return this.line(row);
  }

  duplicate(): Row | undefined {
    if (this.issued.length < 10) return undefined;
    const uen = this.issued[this.rng.int(0, this.issued.length - 1)]!;
    const row = this.company();
    this.issued.pop();
    row.uen = uen;
    return row;
  }
}

function resolveOptions(options: SampleOptions): Required<SampleOptions> {
  return {
    rows: options.rows,
    seed: options.seed ?? SAMPLE_DEFAULT_SEED,
    malformedRate: options.malformedRate ?? 0.002,
    duplicateRate: options.duplicateRate ?? 0.001,
    layout: options.layout ?? "legacy",
    includeDemoCompanies: options.includeDemoCompanies ?? true,
    asOf: options.asOf ?? "2026-09-30",
  };
}

/** The CSV, header first, one line per yielded string. Same options, same bytes. */
export function* generateAcraSampleLines(options: SampleOptions): Generator<string> {
  const resolved = resolveOptions(options);
  const columns = resolved.layout === "legacy" ? ACRA_COLUMN_NAMES : ACRA_COLUMN_NAMES.filter((c) => !LEGACY_ONLY_COLUMNS.includes(c));
  const writer = new SampleWriter(resolved, columns);
  yield writer.header();
  let written = 0;
  if (resolved.includeDemoCompanies) {
    for (const demo of DEMO_COMPANIES) {
      if (written >= resolved.rows) return;
      yield writer.line(writer.demo(demo));
      written++;
    }
  }
  const rng = prng(resolved.seed ^ 0x5bd1e995);
  for (; written < resolved.rows; written++) {
    const r = rng.next();
    if (r < resolved.malformedRate) {
      yield writer.malformed();
      continue;
    }
    const duplicate = r < resolved.malformedRate + resolved.duplicateRate ? writer.duplicate() : undefined;
    yield writer.line(duplicate ?? writer.company());
  }
}

/** The sample as a byte stream, in chunks of many lines. */
export function acraSampleStream(options: SampleOptions): Readable {
  const lines = generateAcraSampleLines(options);
  return Readable.from(
    (function* () {
      let chunk = "";
      for (const line of lines) {
        chunk += line;
        if (chunk.length > 256 * 1024) {
          yield Buffer.from(chunk, "utf8");
          chunk = "";
        }
      }
      if (chunk) yield Buffer.from(chunk, "utf8");
    })(),
    { objectMode: false },
  );
}
