import { type HTMLAttributes, type ReactNode } from "react";

export type DataColumn<Row> = {
  header: ReactNode;
  cell: (row: Row, index: number) => ReactNode;
  /** Numbers are right-aligned with tabular figures so that digits line up. */
  align?: "left" | "right";
  /** The cell that names its row for screen readers (`<th scope="row">`). */
  rowHeader?: boolean;
  /** Classes for the header and every cell of the column, e.g. `hidden md:table-cell` to drop it on small screens. */
  className?: string;
  /** Classes for the body cells only (colour, font, wrapping); a row header is `font-medium` unless these say otherwise. */
  cellClassName?: string;
};

/**
 * `card`: a table that is the whole card (shaded header, rows that highlight on hover);
 * `inline`: a table inside a padded panel; `inset`: inside a bordered box without padding.
 */
export type DataTableVariant = "card" | "inline" | "inset";

const looks = {
  card: {
    table: "min-w-full divide-y divide-slate-200 text-sm",
    head: "bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500",
    row: "hover:bg-slate-50",
    cell: { regular: "px-4 py-3", compact: "px-3 py-2.5" },
  },
  inline: {
    table: "min-w-full text-sm",
    head: "text-left text-xs uppercase tracking-wide text-slate-500",
    row: "",
    cell: { regular: "py-2 pr-4 last:pr-0", compact: "py-1.5 pr-4 last:pr-0" },
  },
  inset: {
    table: "min-w-full text-sm",
    head: "text-left text-xs uppercase tracking-wide text-slate-500",
    row: "",
    cell: { regular: "px-4 py-2", compact: "px-4 py-1.5" },
  },
} as const;

/** A footer cell (a total, say) sits under the column it starts at and spans `span` columns. */
export type FooterCell = { content?: ReactNode; span?: number };

function columnClass<Row>(column: DataColumn<Row> | undefined, ...base: (string | undefined)[]): string {
  return [...base, column?.align === "right" ? "text-right tabular-nums" : "", column?.className].filter(Boolean).join(" ");
}

/** Which column each footer cell starts at. */
export function footerColumns(cells: readonly FooterCell[]): number[] {
  let next = 0;
  return cells.map((cell) => {
    const start = next;
    next += cell.span ?? 1;
    return start;
  });
}

/**
 * The workspace's tables: a header row of column headers, one row per item, an optional
 * caption (read by screen readers, shown only when `captionClassName` says so), an
 * optional message when there are no rows, and an optional footer (totals).
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  caption,
  captionClassName = "sr-only",
  label,
  empty,
  footer,
  variant = "inline",
  density = "regular",
  rowProps,
  ...tableProps
}: {
  columns: DataColumn<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row, index: number) => string;
  caption?: ReactNode;
  captionClassName?: string;
  /** The accessible name when the table has no caption. */
  label?: string;
  empty?: ReactNode;
  footer?: FooterCell[];
  variant?: DataTableVariant;
  density?: "regular" | "compact";
  rowProps?: (row: Row) => HTMLAttributes<HTMLTableRowElement> & { "data-testid"?: string };
  "data-testid"?: string;
}) {
  const look = looks[variant];
  const pad = look.cell[density];
  return (
    <table className={look.table} aria-label={label} {...tableProps}>
      {caption !== undefined ? <caption className={captionClassName}>{caption}</caption> : null}
      <thead className={look.head}>
        <tr>
          {columns.map((column, i) => (
            <th key={i} scope="col" className={columnClass(column, pad)}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.length === 0 && empty !== undefined ? (
          <tr>
            <td colSpan={columns.length} className={`${pad} text-slate-500`}>
              {empty}
            </td>
          </tr>
        ) : null}
        {rows.map((row, index) => {
          const { className, ...extra } = rowProps?.(row) ?? {};
          return (
            <tr key={rowKey(row, index)} className={[look.row, className].filter(Boolean).join(" ") || undefined} {...extra}>
              {columns.map((column, i) => {
                const classes = columnClass(column, pad, column.cellClassName);
                return column.rowHeader ? (
                  <th key={i} scope="row" className={[classes, "text-left", column.cellClassName ? null : "font-medium"].filter(Boolean).join(" ")}>
                    {column.cell(row, index)}
                  </th>
                ) : (
                  <td key={i} className={classes}>
                    {column.cell(row, index)}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
      {footer !== undefined ? (
        <tfoot className="border-t border-slate-300 font-semibold">
          <tr>
            {footerColumns(footer).map((start, i) => {
              const column = columns[start];
              const { content, span } = footer[i]!;
              return column?.rowHeader ? (
                <th key={i} scope="row" colSpan={span} className={columnClass(column, pad, "text-left")}>
                  {content}
                </th>
              ) : (
                <td key={i} colSpan={span} className={columnClass(column, pad)}>
                  {content}
                </td>
              );
            })}
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
}
