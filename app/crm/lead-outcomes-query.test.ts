import { describe, expect, it } from "vitest";
import { parseLeadOutcomesQuery } from "./lead-outcomes-query";

const parse = (query: string) => parseLeadOutcomesQuery(new URLSearchParams(query));

describe("parseLeadOutcomesQuery", () => {
  it("reads months and an ICP version, an empty parameter counting as absent", () => {
    expect(parse("from=2026-09&to=2026-11&icp_version=3&from=")).toEqual({ ok: true, query: { from: "2026-09", to: "2026-11", icpVersion: 3 } });
    expect(parse("")).toEqual({ ok: true, query: {} });
  });

  it("names every problem: a bad month, a reversed range, a bad version, an unknown parameter", () => {
    expect(parse("from=2026-13")).toMatchObject({ ok: false, message: "from: expected a month as YYYY-MM" });
    expect(parse("from=0000-01")).toMatchObject({ ok: false, message: "from: expected a month from 0001-01 to 9999-12" });
    expect(parse("from=2026-11&to=2026-09")).toMatchObject({ ok: false, message: "from: from must not be after to" });
    expect(parse("icp_version=0")).toMatchObject({ ok: false, message: expect.stringMatching(/^icp_version: /) });
    expect(parse("bucket=High")).toMatchObject({ ok: false, message: expect.stringMatching(/bucket/) });
  });
});
