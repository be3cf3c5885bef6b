import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatZodIssues, zodIssueLines } from "./zod-issues";

const Body = z.object({ limit: z.number().int().min(1), tenant: z.object({ slug: z.string() }) });

function failure(schema: z.ZodType, value: unknown): z.ZodError {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error("expected the parse to fail");
  return parsed.error;
}

describe("zod issues in plain words", () => {
  it("names each problem by its dotted path", () => {
    const error = failure(Body, { limit: 0, tenant: {} });
    expect(zodIssueLines(error)).toEqual(["limit: Too small: expected number to be >=1", "tenant.slug: Invalid input: expected string, received undefined"]);
    expect(formatZodIssues(error)).toBe("limit: Too small: expected number to be >=1; tenant.slug: Invalid input: expected string, received undefined");
  });

  it("names a problem with the whole value as the caller says", () => {
    const error = failure(Body, "nonsense");
    expect(formatZodIssues(error)).toBe("(root): Invalid input: expected object, received string");
    expect(formatZodIssues(error, "(body)")).toBe("(body): Invalid input: expected object, received string");
  });
});
