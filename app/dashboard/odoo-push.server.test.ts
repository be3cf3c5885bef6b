import { describe, expect, it } from "vitest";
import { displayValue } from "./odoo-push.server";

describe("Odoo values in the dry-run", () => {
  it("shows many2one pairs by label, HTML as text, and false as empty", () => {
    expect(displayValue([203, "Singapore"])).toBe("Singapore");
    expect(displayValue("<p>Builds <b>software</b></p>")).toBe("Builds software");
    expect(displayValue(false)).toBeNull();
    expect(displayValue(42)).toBe(42);
    expect(displayValue("x".repeat(200))).toHaveLength(161);
    expect(displayValue({ a: 1 })).toBe('{"a":1}');
  });
});
