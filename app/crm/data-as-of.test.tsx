import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataAsOf } from "./data-as-of";

const text = (html: string) => html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, "");

describe("DataAsOf", () => {
  it("dates each source on Singapore clocks and flags a stale one", () => {
    const html = renderToString(
      <DataAsOf
        sources={[
          { source: "odoo", lastSuccessAt: "2026-12-04T01:05:00Z", freshness: "fresh", ageMinutes: 5, freshnessSlaMinutes: 120 },
          { source: "m365", lastSuccessAt: "2026-12-03T20:00:00Z", freshness: "stale", ageMinutes: 305, freshnessSlaMinutes: 120 },
        ]}
      />,
    );
    expect(text(html)).toContain("Odoo: data as of 4 Dec 2026, 9:05 am · Synced 5 min ago");
    expect(text(html)).toContain("Microsoft 365: data as of 4 Dec 2026, 4:00 am · Stale: last synced 5 h ago, beyond its 2 h target");
    expect(html).toMatch(/data-testid="data-as-of-m365" class="[^"]*amber/);
    expect(html).not.toMatch(/data-testid="data-as-of-odoo" class="[^"]*amber/);
  });

  it("says what to do when no source is connected", () => {
    expect(text(renderToString(<DataAsOf sources={[]} />))).toBe("No source is connected yet: connect Odoo or Microsoft 365 on the Data page.");
  });
});
