import { describe, expect, it } from "vitest";
import { formatProgress } from "./progress";

describe("progress line", () => {
  it("shows a bar, rows, rows/s and an ETA from the bytes read", () => {
    const line = formatProgress(
      { file: "a.csv", fileIndex: 0, fileCount: 1, bytesRead: 250, bytesTotal: 1000, rows: 5000, rejected: 3, phase: "reading" },
      10_000,
      8,
    );
    expect(line).toBe("[##------]  25%  5,000 rows  500 rows/s  ETA 0:30  3 rejected");
  });

  it("shows rows and rate when the size is unknown, and which file of several", () => {
    const line = formatProgress({ file: "d_x", fileIndex: 1, fileCount: 27, bytesRead: 10, rows: 1200, rejected: 0, phase: "reading" }, 2_000);
    expect(line).toBe("1,200 rows  600 rows/s  file 2/27 d_x");
  });
});
