import type { IngestProgress } from "./ingest.server";

/** "1:05" / "1:02:03". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

const number = new Intl.NumberFormat("en-US");

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
    parts.push(`${number.format(p.rows)} rows`, `${number.format(Math.round(rate))} rows/s`, `ETA ${p.phase === "reading" ? formatDuration(remaining) : "0:00"}`);
  } else {
    parts.push(`${number.format(p.rows)} rows`, `${number.format(Math.round(rate))} rows/s`);
  }
  if (p.rejected) parts.push(`${number.format(p.rejected)} rejected`);
  if (p.fileCount > 1) parts.push(`file ${p.fileIndex + 1}/${p.fileCount} ${p.file}`);
  return parts.join("  ");
}
