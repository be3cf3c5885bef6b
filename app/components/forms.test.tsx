import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { describedBy, ErrorList, Field } from "./forms";

describe("describedBy", () => {
  it("marks a field with errors invalid and points at its errors, then its help", () => {
    expect(describedBy("budget", ["At most 1 MB"], "Help")).toEqual({
      "aria-invalid": true,
      "aria-describedby": "budget-error budget-help",
    });
    expect(describedBy("budget", ["At most 1 MB"], undefined)).toEqual({
      "aria-invalid": true,
      "aria-describedby": "budget-error",
    });
  });

  it("leaves a valid field valid, pointing only at its help when it has some", () => {
    expect(describedBy("budget", undefined, "Help")).toEqual({
      "aria-invalid": undefined,
      "aria-describedby": "budget-help",
    });
    expect(describedBy("budget", [null, undefined], null)).toEqual({
      "aria-invalid": undefined,
      "aria-describedby": undefined,
    });
  });
});

describe("ErrorList", () => {
  it("renders nothing without messages and each message once", () => {
    expect(renderToStaticMarkup(<ErrorList id="x-error" errors={[null, ""]} />)).toBe("");
    const html = renderToStaticMarkup(<ErrorList id="x-error" errors={["Enter a value", "Too long"]} />);
    expect(html).toContain('id="x-error"');
    expect(html.match(/<li>/g)).toHaveLength(2);
  });
});

describe("Field", () => {
  it("ties the label, the input and its errors together by the input's id", () => {
    const html = renderToStaticMarkup(
      <Field label="High from" inputProps={{ id: "high", name: "high", defaultValue: "35" }} errors={["The High threshold must be above the Medium one"]} />,
    );
    expect(html).toContain('<label for="high"');
    const input = /<input[^>]*>/.exec(html)![0];
    for (const attribute of ['id="high"', 'name="high"', 'aria-invalid="true"', 'aria-describedby="high-error"']) expect(input).toContain(attribute);
    expect(html).toContain('<ul id="high-error"');
    expect(html).toContain('value="35"');
  });
});
