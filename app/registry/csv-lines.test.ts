import { describe, expect, it } from "vitest";
import { CsvRecordFramer, joinCsvRecord, splitCsvRecord, type SuspectRecord } from "./csv-lines";
import { HeldRecords } from "./held-records";
import { FieldKind } from "./stored-as-written";

/**
 * Frames `input` fed in chunks of `size` bytes: the COPY lines, the suspects
 * and the header; with `held`, what it recognises (UEN in field 1).
 */
function frame(input: Buffer | string, size = 3, judge: (r: SuspectRecord) => "reject" | "forward" = () => "reject", held?: HeldRecords) {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input, "utf8");
  const suspects: SuspectRecord[] = [];
  let header: string[] = [];
  const framer: CsvRecordFramer = new CsvRecordFramer({
    onHeader: (fields) => {
      header = fields;
      if (held) framer.recognise(held, 1);
      return fields.length;
    },
    onSuspect: (r) => {
      suspects.push(r);
      return judge(r) === "reject" ? { reject: "no" } : { forward: Buffer.from(joinCsvRecord(splitCsvRecord(r.raw.toString("utf8")))) };
    },
  });
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    framer.write(bytes.subarray(i, i + size));
    const taken = framer.take();
    if (taken) out.push(taken);
  }
  framer.end();
  const taken = framer.take();
  if (taken) out.push(taken);
  const lines = Buffer.concat(out).toString("utf8");
  const hashes = [...lines.matchAll(/^\d+,([0-9a-f]{16}),/gm)].map((m) => m[1]!);
  return {
    copy: lines.replace(/^(\d+),[0-9a-f]{16},/gm, "$1,"),
    hashes,
    suspects: suspects.map((s) => ({ ...s, raw: s.raw.toString("utf8") })),
    header,
    records: framer.records,
    held: held ? framer.takeHeld().toString("utf8") : "",
    heldRecords: framer.heldRecords,
  };
}

describe("CsvRecordFramer", () => {
  it("forwards records byte for byte with their line, across CRLF, blank lines, quoted line breaks and any chunking", () => {
    for (const eol of ["\n", "\r\n", "\r"]) {
      const input = ["\uFEFFh1,h2", "a,b", "", "", "c,d", '"x', 'y",z', '"q""uote",e', "f,g"].join(eol);
      for (const size of [1, 2, 5, 1000]) {
        const { copy, suspects, header } = frame(input, size);
        expect(header).toEqual(["h1", "h2"]);
        expect(suspects).toEqual([]);
        expect(copy).toBe(["2,a,b", "5,c,d", `6,"x${eol}y",z`, '8,"q""uote",e', "9,f,g", ""].join("\n"));
      }
    }
  });

  it("hands over records with the wrong field count, NUL, invalid UTF-8, stray or bad quotes, or an unclosed quote", () => {
    const input = Buffer.concat([
      Buffer.from('h1,h2\none\nN\u0000L,x\nok,"fine ü"\n'),
      Buffer.from([0x62, 0xc3, 0x28, 0x2c, 0x79, 0x0a]),
      Buffer.from('ab"c,d\n"closed"x,e\nlast,"never closed\nmore'),
    ]);
    const { copy, suspects } = frame(input, 4, (r) => (r.line === 6 ? "forward" : "reject"));
    expect(suspects.map((s) => [s.line, s.fieldCount, s.unreadable?.slice(0, 36) ?? null])).toEqual([
      [2, 1, null],
      [3, 2, null],
      [5, 2, null],
      [6, 2, null],
      [7, 2, "unreadable CSV: Invalid Closing Quot"],
      [8, 2, "unreadable CSV: Quote Not Closed: th"],
    ]);
    expect(suspects[1]!.raw).toBe("N\u0000L,x");
    expect(copy).toBe(['4,ok,"fine ü"', '6,"ab""c",d', ""].join("\n"));
  });

  it("tags each record with a hash of its bytes and the header's", () => {
    const a = frame("h1,h2\nx,y\nx,z\nx,y\n", 2).hashes;
    expect(a).toHaveLength(3);
    expect(a[0]).toBe(a[2]);
    expect(a[1]).not.toBe(a[0]);
    expect(frame("h1,h2\r\nx,y", 1000).hashes[0]).toBe(a[0]);
    expect(frame("h2,h1\nx,y\n").hashes[0]).not.toBe(a[0]);
  });

  it("flags a field longer than 4000 bytes and passes one of 4000", () => {
    const { suspects, records } = frame(`h1,h2\n${"a".repeat(4000)},b\nc,${"d".repeat(4001)}\n`, 700);
    expect(records).toBe(1);
    expect(suspects.map((s) => s.line)).toEqual([3]);
  });
});

describe("CsvRecordFramer.storeAsWritten", () => {
  it("sends records whose fields are stored as written to the registry's COPY with their hash, and the others to the checks", () => {
    const input =
      'h,uen,n,d\nx,201900001A,"A, B",2019-01-02\n"q,""r",201900002B,C,na\nx,201900003c,C,na\nx,201900004D, C,na\n"long\nline",201900005E,C,na\nx,201900006F,C,2019-02-30\n';
    for (const size of [1, 7, 1 << 16]) {
      const framer: CsvRecordFramer = new CsvRecordFramer({
        onHeader: (fields) => {
          framer.storeAsWritten(Uint8Array.from([FieldKind.Text, FieldKind.Uen, FieldKind.Required, FieldKind.Date]), 1, "r1:", ",run");
          return fields.length;
        },
        onSuspect: () => ({ reject: "no" }),
      });
      const checked: Buffer[] = [];
      const stored: Buffer[] = [];
      const bytes = Buffer.from(input);
      for (let i = 0; i <= bytes.length; i += size) {
        if (i < bytes.length) framer.write(bytes.subarray(i, i + size));
        else framer.end();
        const [c, s] = [framer.take(), framer.takeDirect()];
        if (c) checked.push(c);
        if (s) stored.push(s);
      }
      const storedText = Buffer.concat(stored).toString("utf8");
      const hashes = [...storedText.matchAll(/,r1:([0-9a-f]{16}),run$/gm)].map((m) => m[1]!);
      const checkedLines = [
        ...Buffer.concat(checked)
          .toString("utf8")
          .matchAll(/^(\d+),[0-9a-f]{16},/gm),
      ].map((m) => Number(m[1]));
      if (size === 1 << 16) {
        // To the checks: a lower-case UEN, a padded name, an impossible date.
        expect(storedText.replace(/,r1:[0-9a-f]{16},run$/gm, ",#")).toBe(
          'x,201900001A,"A, B",2019-01-02,#\n"q,""r",201900002B,C,na,#\n"long\nline",201900005E,C,na,#\n',
        );
        expect(framer.takeDirectKeys().toString("utf8")).toBe(`2,201900001A,${hashes[0]}\n3,201900002B,${hashes[1]}\n6,201900005E,${hashes[2]}\n`);
        expect(checkedLines).toEqual([4, 5, 8]);
      } else {
        // A record that spans chunks goes to the checks.
        expect(storedText).toBe("");
        expect(checkedLines).toEqual([2, 3, 4, 5, 6, 8]);
      }
      expect([framer.records, framer.directRecords]).toEqual([6, size === 1 << 16 ? 3 : 0]);
    }
  });
});

describe("splitCsvRecord", () => {
  it("reads fields as csv-parse with relax_quotes did", () => {
    expect(splitCsvRecord('a,"b,c","d""e",f"g,,')).toEqual(["a", "b,c", 'd"e', 'f"g', "", ""]);
    expect(joinCsvRecord(["a", "b,c", 'd"e', "x\r\ny"])).toBe('a,"b,c","d""e","x\r\ny"');
  });
});

describe("HeldRecords", () => {
  const file = 'a,uen,name\nx,201900001A,ONE\nx,201900002B,TWO\nx,201900003C,THREE\n"x",201900004D,FOUR\nx,201900001A,ONE\n';
  // Lines 2 to 6 in order.
  const { hashes } = frame(file, 1 << 16);
  // The registry as the first load left it, except that 201900002B's row holds these bytes under another UEN.
  const registry = [`${hashes[0]}\t201900001A`, `${hashes[1]}\t201900009Z`, `${hashes[3]}\t201900004D`, "0123456789abcdef\t201900005E"].join("\n");

  it.each([1, 3, 7, 1 << 16])("keeps back the records the registry holds with the same UEN, flagging repeats (chunks of %i bytes)", (size) => {
    const held = new HeldRecords(Buffer.from(`${registry}\n`));
    expect(held.size).toBe(4);
    const result = frame(file, size, undefined, held);
    expect(result.held).toBe("2,201900001A,f\n6,201900001A,t\n");
    // Quoted fields before the UEN: recognised only by its full check.
    expect(result.copy).toBe('3,x,201900002B,TWO\n4,x,201900003C,THREE\n5,"x",201900004D,FOUR\n');
    expect(result).toMatchObject({ records: 5, heldRecords: 2 });
  });

  it("reads the registry's lines without a final line break, and refuses what is not a hash line", () => {
    expect(new HeldRecords(Buffer.from(registry)).size).toBe(4);
    expect(new HeldRecords(Buffer.alloc(0)).size).toBe(0);
    expect(() => new HeldRecords(Buffer.from("r1:0123456789abcdef\t201900005E\n"))).toThrow(/unexpected registry hash line/);
    expect(() => new HeldRecords(Buffer.from("0123456789ABCDEF\t201900005E\n"))).toThrow(/unexpected registry hash/);
  });
});
