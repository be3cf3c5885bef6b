import { Parser } from "htmlparser2";
import { z } from "zod";

export type PageLink = { url: string; text: string; inNav: boolean };

export type Organization = {
  name?: string;
  alternateName?: string;
  url?: string;
  description?: string;
  email?: string;
  telephone?: string;
  address?: string;
  numberOfEmployees?: number | { min?: number; max?: number };
  sameAs: string[];
};

export type PageText = {
  title: string;
  description: string;
  lang?: string;
  /** Visible main text, one block per line, without menus, footers, scripts, banners. */
  text: string;
  /** Menu, header and footer text (copyright lines carry the legal name). */
  boilerplate: string;
  headings: Array<{ level: number; text: string }>;
  links: PageLink[];
  emails: string[];
  phones: string[];
  organizations: Organization[];
  wordCount: number;
};

/** Elements whose content is never page text. */
const DROP = new Set(["script", "style", "noscript", "template", "svg", "iframe", "canvas", "object", "select", "button", "head"]);
/** Elements that are page chrome: their links count, their words do not. */
const CHROME = new Set(["nav", "footer", "aside"]);
const CHROME_ROLES = new Set(["navigation", "contentinfo", "dialog", "alertdialog", "menu", "menubar"]);
const BLOCK = new Set([
  "p",
  "div",
  "section",
  "article",
  "main",
  "header",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "li",
  "ul",
  "ol",
  "br",
  "tr",
  "table",
  "blockquote",
  "dd",
  "dt",
  "dl",
  "figcaption",
  "address",
  "pre",
  "hr",
  "form",
  "fieldset",
  "label",
]);
const ORGANIZATION_TYPES = new Set([
  "Organization",
  "Corporation",
  "LocalBusiness",
  "ProfessionalService",
  "EducationalOrganization",
  "MedicalOrganization",
  "NGO",
  "Store",
  "Restaurant",
  "FoodEstablishment",
  "HomeAndConstructionBusiness",
  "FinancialService",
  "LegalService",
  "AccountingService",
  "EmploymentAgency",
  "RealEstateAgent",
  "TravelAgency",
  "AutomotiveBusiness",
  "OnlineBusiness",
]);

const EMAIL = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gi;
const PHONE_INTL = /\+\s?65[\s-]?(\d{4})[\s-]?(\d{4})\b/g;
const PHONE_LOCAL = /\b(?:tel|phone|call|mobile|whatsapp|hp|hotline|fax)\b[^0-9+]{0,12}([3689]\d{3})[\s-]?(\d{4})\b/gi;

const str = z.string().trim().min(1).optional().catch(undefined);
const looseString = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .optional()
  .catch(undefined);

const organizationSchema = z.object({
  name: str,
  alternateName: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v[0] : v))
    .optional()
    .catch(undefined),
  url: str,
  description: str,
  email: str,
  telephone: looseString,
  address: z
    .union([
      z.string(),
      z
        .object({ streetAddress: looseString, addressLocality: looseString, postalCode: looseString, addressCountry: z.unknown() })
        .transform((a) =>
          [a.streetAddress, a.addressLocality, a.postalCode, typeof a.addressCountry === "string" ? a.addressCountry : undefined].filter(Boolean).join(", "),
        ),
    ])
    .optional()
    .catch(undefined),
  numberOfEmployees: z
    .union([
      z.coerce.number().positive(),
      z.object({ value: z.coerce.number().positive() }).transform((v) => v.value),
      z.object({ minValue: z.coerce.number().optional(), maxValue: z.coerce.number().optional() }).transform((v) => ({ min: v.minValue, max: v.maxValue })),
    ])
    .optional()
    .catch(undefined),
  sameAs: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional()
    .catch(undefined),
});

function organizationsIn(json: unknown, out: Organization[], depth = 0): void {
  if (depth > 6 || json === null || typeof json !== "object") return;
  if (Array.isArray(json)) {
    for (const item of json) organizationsIn(item, out, depth + 1);
    return;
  }
  const node = json as Record<string, unknown>;
  const types = ([] as unknown[]).concat(node["@type"] ?? []).map(String);
  if (types.some((t) => ORGANIZATION_TYPES.has(t.replace(/^https?:\/\/schema\.org\//, "")))) {
    const parsed = organizationSchema.safeParse(node);
    if (parsed.success) {
      const { sameAs, ...rest } = parsed.data;
      out.push({ ...rest, email: rest.email?.replace(/^mailto:/i, ""), sameAs: sameAs ?? [] });
    }
  }
  if (node["@graph"]) organizationsIn(node["@graph"], out, depth + 1);
}

function normalizePhone(a: string, b: string): string {
  return `+65 ${a} ${b}`;
}

function collapse(lines: string[]): string[] {
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.replace(/\s+/g, " ").trim();
    if (line && line !== out[out.length - 1]) out.push(line);
  }
  return out;
}

/**
 * Reads an HTML document the way a person skimming it would: title, meta
 * description, headings, the visible main text (not scripts, styles,
 * menus, footers or cookie banners), every link with its anchor text,
 * mailto:/tel: targets and any schema.org Organization in JSON-LD.
 */
export function extractPageText(html: string, pageUrl: string): PageText {
  let base: URL;
  try {
    base = new URL(pageUrl);
  } catch {
    base = new URL("http://invalid.invalid/");
  }
  let baseSet = false;
  const stack: Array<{ tag: string; drop: boolean; chrome: boolean }> = [];
  let dropDepth = 0;
  let chromeDepth = 0;
  const mainLines: string[] = [""];
  const chromeLines: string[] = [""];
  let title = "";
  let inTitle = false;
  let description = "";
  let ogDescription = "";
  let lang: string | undefined;
  const headings: PageText["headings"] = [];
  let heading: { level: number; text: string } | undefined;
  const links: PageLink[] = [];
  let link: { href: string; text: string; inNav: boolean; label: string } | undefined;
  const emails = new Set<string>();
  const phones = new Set<string>();
  const organizations: Organization[] = [];
  let jsonLd: string | undefined;

  const addText = (text: string) => {
    const target = chromeDepth > 0 ? chromeLines : mainLines;
    target[target.length - 1] += text;
  };
  const newline = () => {
    mainLines.push("");
    chromeLines.push("");
  };

  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const role = attrs.role?.toLowerCase() ?? "";
        const className = attrs.class?.toLowerCase() ?? "";
        const hidden = "hidden" in attrs || attrs["aria-hidden"] === "true" || /display:\s*none/i.test(attrs.style ?? "");
        const drop = DROP.has(name) || hidden;
        const chrome = CHROME.has(name) || CHROME_ROLES.has(role) || /\b(cookie|consent|gdpr)/.test(className);
        stack.push({ tag: name, drop, chrome });
        if (drop) dropDepth += 1;
        if (chrome) chromeDepth += 1;
        if (name === "html" && attrs.lang) lang = attrs.lang;
        if (name === "title" && !title) inTitle = true;
        if (name === "base" && attrs.href && !baseSet) {
          try {
            base = new URL(attrs.href, base);
            baseSet = true;
          } catch {
            /* an unusable <base> is ignored, as browsers do */
          }
        }
        if (name === "meta") {
          const key = (attrs.name ?? attrs.property ?? "").toLowerCase();
          if (key === "description" && attrs.content) description = attrs.content.trim();
          if (key === "og:description" && attrs.content) ogDescription = attrs.content.trim();
        }
        if (name === "script" && attrs.type?.toLowerCase() === "application/ld+json") jsonLd = "";
        if (/^h[1-6]$/.test(name) && dropDepth === 0 && chromeDepth === 0) heading = { level: Number(name[1]), text: "" };
        if (name === "a" && attrs.href) link = { href: attrs.href, text: "", inNav: chromeDepth > 0, label: attrs["aria-label"] ?? attrs.title ?? "" };
        if (name === "img" && link && attrs.alt) link.text += ` ${attrs.alt}`;
        if (BLOCK.has(name)) newline();
      },
      ontext(text) {
        if (inTitle) title += text;
        if (jsonLd !== undefined) jsonLd += text;
        if (dropDepth > 0) return;
        if (link) link.text += text;
        if (heading) heading.text += text;
        addText(text);
      },
      onclosetag(name) {
        if (name === "title") inTitle = false;
        if (name === "script" && jsonLd !== undefined) {
          try {
            organizationsIn(JSON.parse(jsonLd), organizations);
          } catch {
            /* broken JSON-LD is common; the page text still counts */
          }
          jsonLd = undefined;
        }
        if (heading && name === `h${heading.level}`) {
          const text = heading.text.replace(/\s+/g, " ").trim();
          if (text) headings.push({ level: heading.level, text });
          heading = undefined;
        }
        if (name === "a" && link) {
          collectLink(link.href, (link.text.trim() || link.label).replace(/\s+/g, " ").trim(), link.inNav);
          link = undefined;
        }
        if (BLOCK.has(name)) newline();
        // Pop to the matching element; htmlparser2 closes implied elements for us.
        for (let i = stack.length - 1; i >= 0; i -= 1) {
          if (stack[i]!.tag !== name) continue;
          for (const entry of stack.splice(i)) {
            if (entry.drop) dropDepth -= 1;
            if (entry.chrome) chromeDepth -= 1;
          }
          break;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );

  function collectLink(href: string, text: string, inNav: boolean) {
    const trimmed = href.trim();
    if (/^mailto:/i.test(trimmed)) {
      const address = decodeURIComponent(trimmed.slice(7).split("?")[0] ?? "")
        .trim()
        .toLowerCase();
      if (address.match(EMAIL)?.[0] === address) emails.add(address);
      return;
    }
    if (/^tel:/i.test(trimmed)) {
      const digits = trimmed.slice(4).replace(/[^\d+]/g, "");
      const sg = digits.match(/^(?:\+?65)?([3689]\d{3})(\d{4})$/);
      if (sg) phones.add(normalizePhone(sg[1]!, sg[2]!));
      return;
    }
    let url: URL;
    try {
      url = new URL(trimmed, base);
    } catch {
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return;
    url.hash = "";
    links.push({ url: url.href, text, inNav });
  }

  parser.write(html);
  parser.end();

  const mainText = collapse(mainLines);
  const boilerplate = collapse(chromeLines);
  const visible = [...mainText, ...boilerplate].join("\n");
  for (const match of visible.matchAll(EMAIL)) emails.add(match[0].toLowerCase().replace(/\.$/, ""));
  for (const match of visible.matchAll(PHONE_INTL)) phones.add(normalizePhone(match[1]!, match[2]!));
  for (const match of visible.matchAll(PHONE_LOCAL)) phones.add(normalizePhone(match[1]!, match[2]!));
  const text = mainText.join("\n");

  return {
    title: title.replace(/\s+/g, " ").trim(),
    description: description || ogDescription,
    lang,
    text,
    boilerplate: boilerplate.join("\n"),
    headings,
    links,
    emails: [...emails],
    phones: [...phones],
    organizations,
    wordCount: text.split(/\s+/).filter(Boolean).length,
  };
}
