import { type Page, type Site } from "./model";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const PHONE = /\+65 \d{4} \d{4}/g;

/** Escapes text and turns addresses and +65 numbers into mailto:/tel: links, as site builders do. */
function linkify(text: string): string {
  return escapeHtml(text)
    .replace(EMAIL, (m) => `<a href="mailto:${m}">${m}</a>`)
    .replace(PHONE, (m) => `<a href="tel:${m.replace(/\s/g, "")}">${m}</a>`);
}

function legalLine(site: Site): string {
  const name = site.company?.name ?? site.domain;
  return name.endsWith(".") ? name : `${name}.`;
}

export function navOf(site: Site): Array<{ path: string; text: string; kind: Page["kind"] }> {
  const pages = [...site.pages().values()];
  const order: Array<Page["kind"]> = ["home", "about", "services", "team", "careers", "contact"];
  return order.flatMap((kind) =>
    pages.filter((p) => p.kind === kind).map((p) => ({ path: p.path, text: kind === "home" ? "Home" : p.title.split(" | ")[0]!, kind })),
  );
}

export function renderHtml(site: Site, page: Page): string {
  const company = site.company;
  const nav = navOf(site)
    .map((l) => `<li><a href="${l.path}"${l.kind === "home" ? ' class="logo-link"' : ""}>${escapeHtml(l.text)}</a></li>`)
    .join("");
  const about = navOf(site).find((l) => l.kind === "about");
  const body = page.sections
    .map((s, i) => {
      const tag = i === 0 ? "h1" : "h2";
      const heading = s.heading ? `<${tag}>${escapeHtml(s.heading)}</${tag}>` : "";
      const paragraphs = s.paragraphs.map((p) => `<p>${linkify(p)}</p>`).join("\n");
      const items = s.items?.length ? `<ul>${s.items.map((it) => `<li>${linkify(it)}</li>`).join("")}</ul>` : "";
      return `<section class="block-${i}">${heading}\n${paragraphs}${items}</section>`;
    })
    .join("\n");
  const extraContacts = [
    ...page.emails.filter((e) => !page.sections.some((s) => s.paragraphs.some((p) => p.includes(e)) || s.items?.some((it) => it.includes(e)))),
  ]
    .map((e) => `<p class="contact-line">Email us: <a href="mailto:${e}">${e}</a></p>`)
    .join("");
  const jsonLd = page.jsonLd ? `<script type="application/ld+json">${JSON.stringify(page.jsonLd)}</script>` : "";
  const learnMore = page.kind === "home" && about ? `<p><a href="${about.path}" class="btn">Learn more about us</a></p>` : "";
  const social = company?.linkedin ? `<a href="${company.linkedin.linkedinUrl}" rel="noopener">LinkedIn</a>` : "";
  const privacy = [...site.pages().values()].find((p) => p.kind === "privacy");
  return `<!DOCTYPE html>
<html lang="en-SG">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
${page.description ? `<meta name="description" content="${escapeHtml(page.description)}">` : ""}
<meta property="og:title" content="${escapeHtml(page.title)}">
<link rel="stylesheet" href="/assets/site.css">
<style>body{font-family:system-ui}.cookie{position:fixed;bottom:0}</style>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag("js",new Date());</script>
${jsonLd}
</head>
<body>
<header class="site-header"><a href="/" class="logo"><img src="/assets/logo.png" alt="${escapeHtml(company?.brand ?? site.domain)} logo"></a>
<nav class="main-menu"><ul>${nav}</ul></nav></header>
<main>
${body}
${extraContacts}
${learnMore}
</main>
<div class="cookie" role="dialog">We use cookies to improve your experience. <button>Accept</button></div>
<footer class="site-footer">
<p>&copy; 2025 ${escapeHtml(legalLine(site))} All rights reserved.</p>
${privacy ? `<a href="${privacy.path}">Privacy Policy</a>` : ""} ${social} <a href="https://www.facebook.com/${escapeHtml(site.domain.split(".")[0]!)}">Facebook</a>
</footer>
<script src="/assets/app.js"></script>
</body>
</html>
`;
}

/** What a text extractor (e.g. Tavily extract) returns for the page: markdown-ish, menus included. */
export function renderText(site: Site, page: Page): string {
  const nav = navOf(site)
    .map((l) => l.text)
    .join(" | ");
  const body = page.sections
    .map((s, i) =>
      [s.heading ? `${i === 0 ? "#" : "##"} ${s.heading}` : "", ...s.paragraphs, ...(s.items ?? []).map((it) => `- ${it}`)].filter(Boolean).join("\n\n"),
    )
    .join("\n\n");
  const extra = page.emails.filter((e) => !body.includes(e)).map((e) => `Email us: ${e}`);
  return [nav, body, ...extra, `© 2025 ${legalLine(site)} All rights reserved.`].filter(Boolean).join("\n\n");
}

/** A minimal but well-formed one-page PDF carrying the page text. */
export function renderPdf(page: Page): Buffer {
  const text = page.sections
    .flatMap((s) => [s.heading ?? "", ...s.paragraphs])
    .join(" ")
    .replace(/[()\\]/g, "");
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

export function renderRobots(site: Site): { status: number; body: string } {
  const spec = site.robots;
  switch (spec.kind) {
    case "missing":
      return { status: 404, body: "<h1>404 Not Found</h1>" };
    case "server_error":
      return { status: 500, body: "<h1>500 Internal Server Error</h1>" };
    case "allow_all":
      return {
        status: 200,
        body: `User-agent: *\nDisallow:\n${spec.crawlDelayS ? `Crawl-delay: ${spec.crawlDelayS}\n` : ""}\nSitemap: http://${site.contentHost}/sitemap.xml\n`,
      };
    case "disallow_paths":
      return {
        status: 200,
        body: `# robots.txt for ${site.domain}\nUser-agent: *\n${spec.paths.map((p) => `Disallow: ${p}`).join("\n")}\n${spec.crawlDelayS ? `Crawl-delay: ${spec.crawlDelayS}\n` : ""}`,
      };
    case "disallow_all":
      if (spec.scope === "our_bot") return { status: 200, body: "User-agent: NexiusLeadsBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n" };
      if (spec.scope === "all_but_google") return { status: 200, body: "User-agent: Googlebot\nAllow: /\n\nUser-agent: *\nDisallow: /\n" };
      return { status: 200, body: "User-agent: *\nDisallow: /\n" };
  }
}
