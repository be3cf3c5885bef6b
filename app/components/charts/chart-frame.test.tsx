import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ChartFrame } from "./chart-frame";

describe("ChartFrame", () => {
  it("gives the chart's figures as a table: each row named by its first cell, the figures in columns", () => {
    const html = renderToString(
      <ChartFrame
        id="trend"
        title="Shortlist"
        summary="Shortlist size per run"
        table={{
          caption: "Shortlist per run",
          columns: ["Run", "Shortlist"],
          rows: [
            ["3 Dec", 41],
            ["4 Dec", 45],
          ],
        }}
      >
        {() => null}
      </ChartFrame>,
    );
    expect(html).toContain('<caption class="sr-only">Shortlist per run</caption>');
    expect(html.match(/<th scope="col"[^>]*>(Run|Shortlist)<\/th>/g)).toHaveLength(2);
    expect(html).toMatch(/<th scope="row" class="[^"]*font-medium[^"]*">4 Dec<\/th>/);
    expect(html).toMatch(/<td class="[^"]*tabular-nums[^"]*">45<\/td>/);
  });
});
