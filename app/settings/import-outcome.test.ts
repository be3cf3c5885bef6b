import { describe, expect, it } from "vitest";
import { importMessage, rejectedLines } from "./import-outcome";

describe("importMessage", () => {
  it("counts what was added, already listed and refused, in words", () => {
    expect(importMessage(3, 0, 0)).toBe("3 added.");
    expect(importMessage(3, 1, 2)).toBe("3 added, 1 already on the list, 2 lines refused (nothing stored from them).");
    expect(importMessage(0, 0, 1)).toBe("0 added, 1 line refused (nothing stored from it).");
    expect(importMessage(1200, 0, 0)).toBe("1,200 added.");
  });
});

describe("rejectedLines", () => {
  it("gives back the refused lines as typed, whatever the line endings", () => {
    const text = "a@acme.sg\r\nnot-a-thing\nacme.sg\rbob@";
    expect(
      rejectedLines(text, [
        { line: 2, value: "not-a-thing", reason: "x" },
        { line: 4, value: "bob@", reason: "y" },
      ]),
    ).toBe("not-a-thing\nbob@");
  });
});
