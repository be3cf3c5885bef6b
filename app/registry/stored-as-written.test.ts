import { describe, expect, it } from "vitest";
import { FieldKind, storedAsWritten } from "./stored-as-written";

const fits = (field: string, kind: number) => storedAsWritten(Buffer.from(field, "utf8"), 0, Buffer.byteLength(field), kind);

describe("storedAsWritten", () => {
  it("takes a text as written unless it is padded or spells no value in another way than an unquoted na", () => {
    const asWritten = ["ABC", "ab", "x", '"A, B"', '"""q"""', "nA", '"N/Ax"', "ÉÉ", "na"];
    expect(asWritten.filter((f) => fits(f, FieldKind.Text))).toEqual(asWritten);
    const notAsWritten = ['"na"', "", '""', "NA", "Na", "n/a", "N/A", " x", "x ", '" x"', "   "];
    expect(notAsWritten.filter((f) => fits(f, FieldKind.Text))).toEqual([]);
    expect([fits("na", FieldKind.Required), fits("ABC PTE. LTD.", FieldKind.Required), fits('"A, B"', FieldKind.Required)]).toEqual([false, true, true]);
  });

  it("takes a UEN in capitals of 9 or 10 characters, and a postal code other than five digits", () => {
    expect(["201912345K", "T08LL1234A", "53123456D"].map((f) => fits(f, FieldKind.Uen))).toEqual([true, true, true]);
    expect(["201912345k", "2019123456K", "12345678", '"201912345K"', "na", " 201912345K"].filter((f) => fits(f, FieldKind.Uen))).toEqual([]);
    expect(["068914", "na", "18956", '"18956"', "1895A"].map((f) => fits(f, FieldKind.PostalCode))).toEqual([true, true, false, false, true]);
  });

  it("takes dates, whole numbers and amounts that pass as written, and none in quotes", () => {
    const dates = ["2019-01-02", "2000-02-29", "1800-01-01", "2200-12-31", "na"];
    expect(dates.map((f) => fits(f, FieldKind.Date))).toEqual([true, true, true, true, true]);
    const badDates = ["1900-02-29", "2023-04-31", "1799-12-31", "2201-01-01", "2023-13-01", "2023-01-00", "2023-1-01", '"2019-01-02"', " 2019-01-02", "NA"];
    expect(badDates.filter((f) => fits(f, FieldKind.Date))).toEqual([]);
    expect(["0", "007", "123456789", "na"].map((f) => fits(f, FieldKind.Integer))).toEqual([true, true, true, true]);
    expect(["1234567890", "-1", "1 ", "three", '"1"', ""].filter((f) => fits(f, FieldKind.Integer))).toEqual([]);
    expect(["100000", "-12.50", "0.5", "123456789012345678", "na"].map((f) => fits(f, FieldKind.Amount))).toEqual([true, true, true, true, true]);
    expect(["1,000", "1.", ".5", "-", "1234567890123456789", "1.2.3", '"1"', " -3 "].filter((f) => fits(f, FieldKind.Amount))).toEqual([]);
  });
});
