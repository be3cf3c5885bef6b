import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataTable, footerColumns, type DataColumn } from "./data-table";

type Vendor = { name: string; calls: number };
const columns: DataColumn<Vendor>[] = [
  { header: "Vendor", cell: (v) => v.name, rowHeader: true },
  { header: "Note", cell: () => "", className: "hidden md:table-cell" },
  { header: "Calls", cell: (v) => v.calls, align: "right" },
];

describe("DataTable", () => {
  it("renders column headers, a row header per row and right-aligned numbers", () => {
    const html = renderToString(<DataTable columns={columns} rows={[{ name: "tavily", calls: 12 }]} rowKey={(v) => v.name} caption="Vendor usage" />);
    expect(html).toContain('<caption class="sr-only">Vendor usage</caption>');
    expect(html.match(/scope="col"/g)).toHaveLength(3);
    expect(html).toMatch(/<th scope="row" class="[^"]*text-left font-medium">tavily<\/th>/);
    expect(html).toMatch(/<td class="[^"]*text-right tabular-nums">12<\/td>/);
    expect(html).toMatch(/<th scope="col" class="[^"]*hidden md:table-cell">Note<\/th>/);
  });

  it("shows the empty message across all columns when there are no rows", () => {
    const html = renderToString(<DataTable columns={columns} rows={[]} rowKey={(v) => v.name} empty="No vendor was called" />);
    expect(html).toMatch(/<td colSpan="3" class="[^"]*">No vendor was called<\/td>/);
    expect(renderToString(<DataTable columns={columns} rows={[]} rowKey={(v) => v.name} />)).not.toContain("colSpan");
  });

  it("puts footer cells under the column they start at", () => {
    expect(footerColumns([{ content: "Total", span: 2 }, { content: 12 }])).toEqual([0, 2]);
    const html = renderToString(<DataTable columns={columns} rows={[]} rowKey={(v) => v.name} footer={[{ content: "Total", span: 2 }, { content: 12 }]} />);
    expect(html).toMatch(
      /<tfoot[^>]*><tr><th scope="row" colSpan="2" class="[^"]*">Total<\/th><td class="[^"]*text-right tabular-nums">12<\/td><\/tr><\/tfoot>/,
    );
  });
});
