/**
 * SVG fills that differ by shape as well as colour (solid, diagonal
 * stripes, dots), so bars stay distinguishable in greyscale, for colour-blind
 * readers and when printed. Render inside a chart's <svg>; ids are prefixed
 * per chart so two charts on a page do not share definitions.
 */
export type PatternName = "solid" | "stripes" | "dots";

export const BUCKET_STYLE = {
  High: { color: "#1a46a1", pattern: "solid" as PatternName, legend: "solid fill" },
  Medium: { color: "#2f6fed", pattern: "stripes" as PatternName, legend: "diagonal stripes" },
  Low: { color: "#64748b", pattern: "dots" as PatternName, legend: "dots" },
} as const;

export function patternId(prefix: string, name: PatternName) {
  return `${prefix}-${name}`;
}

export function PatternDefs({ prefix, colors }: { prefix: string; colors: Record<PatternName, string> }) {
  return (
    <defs>
      <pattern id={patternId(prefix, "solid")} width="8" height="8" patternUnits="userSpaceOnUse">
        <rect width="8" height="8" fill={colors.solid} />
      </pattern>
      <pattern id={patternId(prefix, "stripes")} width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="8" height="8" fill="#ffffff" />
        <rect width="4" height="8" fill={colors.stripes} />
      </pattern>
      <pattern id={patternId(prefix, "dots")} width="7" height="7" patternUnits="userSpaceOnUse">
        <rect width="7" height="7" fill="#ffffff" />
        <circle cx="3.5" cy="3.5" r="2.2" fill={colors.dots} />
      </pattern>
    </defs>
  );
}

/** A small swatch of a pattern for legends and tables outside the chart. */
export function PatternSwatch({ name, color }: { name: PatternName; color: string }) {
  const id = `swatch-${name}-${color.replace("#", "")}`;
  return (
    <svg aria-hidden width="14" height="14" className="inline-block shrink-0 rounded-sm ring-1 ring-slate-400">
      <PatternDefs prefix={id} colors={{ solid: color, stripes: color, dots: color }} />
      <rect width="14" height="14" fill={`url(#${patternId(id, name)})`} />
    </svg>
  );
}
