import { formatClockSeconds } from "~/utils/date-format";
import { formatCount } from "~/utils/number-format";
import { type IngestProgress } from "./ingest.server";

/**
 * One line of progress: bar (when the total size is known), rows, rows/s and
 * ETA. The ETA extrapolates bytes, because row counts are unknown up front.
 */
export function formatProgress(p: IngestProgress, elapsedMs: number, width = 24): string {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? p.rows / seconds : 0;
  const parts: string[] = [];
  if (p.phase === "merging") parts.push("merging…");
  if (p.bytesTotal && p.bytesTotal > 0) {
    const fraction = Math.min(1, p.bytesRead / p.bytesTotal);
    const filled = Math.round(fraction * width);
    parts.push(`[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%`);
    const remaining = fraction > 0 ? seconds * (1 / fraction - 1) : Number.NaN;
    parts.push(
      `${formatCount(p.rows)} rows`,
      `${formatCount(Math.round(rate))} rows/s`,
      `ETA ${p.phase === "reading" ? formatClockSeconds(remaining) : "0:00"}`,
    );
  } else {
    parts.push(`${formatCount(p.rows)} rows`, `${formatCount(Math.round(rate))} rows/s`);
  }
  if (p.rejected) parts.push(`${formatCount(p.rejected)} rejected`);
  if (p.fileCount > 1) parts.push(`file ${p.fileIndex + 1}/${p.fileCount} ${p.file}`);
  return parts.join("  ");
}
