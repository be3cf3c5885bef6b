import { describe, expect, it } from "vitest";
import { createZeroBounceClient } from "~/vendors/zerobounce.server";
import { startZeroBounceSimulator } from "../sims/vendors/zerobounce-sim";
import { closedAfterEach } from "./support/cleanup";
import { loadExchange } from "./support/fixtures";
import { shapeMismatches } from "./support/json-shape";
import { startRecordingServer, type Reply } from "./support/recording-server";

/*
 * ZeroBounce v2's documented exchanges:
 * - validatebatch request and response: https://zerobounce.net/docs/email-validation-api-quickstart/v2-batch-validate-emails
 * - validatebatch, validate and getcredits answers as the official Python SDK's tests expect them:
 *   https://github.com/zerobounce/zero-bounce-python-sdk-setup/blob/master/tests/zero_bounce_test_case.py
 *   (test_validate_batch_valid, test_response_contains_errors, test_validate_valid, test_credits_valid)
 */
const batch = loadExchange("zerobounce", "validatebatch");
const batchSdk = loadExchange("zerobounce", "validatebatch-sdk");
const keyError = loadExchange("zerobounce", "validatebatch-key-error");
const validate = loadExchange("zerobounce", "validate");
const credits = loadExchange("zerobounce", "getcredits");

const BATCH_FIELDS = new Set(["api_key", "email_batch", "timeout", "activity_data", "verify_plus"]);

const closeAfterTest = closedAfterEach();

async function clientAgainstDocs(reply: Reply) {
  const server = closeAfterTest(await startRecordingServer(() => reply));
  return { server, client: createZeroBounceClient({ baseUrl: `${server.url}/v2`, apiKey: "Your API Key" }) };
}

describe("ZeroBounce client against ZeroBounce's documented examples", () => {
  it("sends the documented validatebatch body and maps the SDK's example answer", async () => {
    const { server, client } = await clientAgainstDocs(batchSdk.response);
    const result = await client.validateBatch(["valid@example.com", "invalid@example.com"]);

    const [sent] = server.requests;
    expect(sent).toMatchObject({ method: "POST", path: batchSdk.request.path, query: {} });
    expect(sent!.headers["content-type"]).toBe("application/json");
    const body = sent!.body as Record<string, unknown>;
    expect(Object.keys(body).filter((k) => !BATCH_FIELDS.has(k))).toEqual([]);
    expect(body).toMatchObject(batchSdk.request.body as object);
    // The documented server-side wait is 10–120 s.
    expect(body.timeout).toBeGreaterThanOrEqual(10);
    expect(body.timeout).toBeLessThanOrEqual(120);

    expect(result.map((r) => [r.email, r.status, r.vendorStatus, r.vendorSubStatus])).toEqual([
      ["valid@example.com", "verified", "valid", ""],
      ["invalid@example.com", "invalid", "invalid", "mailbox_not_found"],
    ]);
  });

  it("reads the documented result fields (booleans, nulls, numbers as strings)", async () => {
    const { client } = await clientAgainstDocs(batch.response);
    const [valid] = await client.validateBatch(["valid@example.com"]);
    expect(valid).toEqual({ email: "valid@example.com", status: "verified", vendorStatus: "valid", vendorSubStatus: "", freeEmail: false, didYouMean: null });
  });

  it("keeps every address unknown when the batch answers the documented `all` error", async () => {
    const { client } = await clientAgainstDocs(keyError.response);
    const result = await client.validateBatch(["any_email@example.com"]);
    expect(result).toEqual([
      expect.objectContaining({ email: "any_email@example.com", status: "unknown", error: "Invalid API Key or your account ran out of credits" }),
    ]);
  });

  it("sends the documented validate query and reads the SDK's example answer", async () => {
    const { server, client } = await clientAgainstDocs(validate.response);
    const result = await client.validate("invalid@example.com");
    expect(server.requests[0]).toMatchObject({ method: "GET", path: validate.request.path });
    // `ip_address` may be blank but must be present.
    expect(server.requests[0]!.query).toEqual({ ...validate.request.query, ip_address: "" });
    expect(result).toMatchObject({ status: "invalid", vendorSubStatus: "mailbox_not_found" });
  });

  it("reads the credits the SDK's example gives as a string", async () => {
    const { server, client } = await clientAgainstDocs(credits.response);
    expect(await client.getCredits()).toBe(12345);
    expect(server.requests[0]).toMatchObject({ method: "GET", path: credits.request.path, query: credits.request.query });
  });
});

describe("ZeroBounce simulator against ZeroBounce's documented examples", () => {
  async function call(exchange: typeof batch, apiKey = "zb-simulator-key") {
    const sim = await startZeroBounceSimulator();
    closeAfterTest(sim);
    const { request } = exchange;
    const url = new URL(`${sim.url}${request.path}`);
    for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, k === "api_key" ? apiKey : v);
    const body = request.body && { ...(request.body as object), api_key: apiKey };
    const res = await fetch(url, {
      method: request.method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  it("accepts the documented validatebatch request (ip addresses and null) and answers in the documented shape", async () => {
    const res = await call(batch);
    expect(res.status).toBe(200);
    expect(shapeMismatches(res.body, batch.response.body)).toEqual([]);
    expect((res.body as { email_batch: unknown[] }).email_batch).toHaveLength(3);
  });

  it("answers a wrong key in the batch with the documented `all` error", async () => {
    const res = await call(keyError, "wrong-key");
    expect(res).toEqual({ status: 200, body: keyError.response.body });
  });

  it("answers validate and getcredits in the shapes the SDK expects", async () => {
    const single = await call(validate);
    expect(shapeMismatches(single.body, validate.response.body)).toEqual([]);
    const balance = await call(credits);
    expect(shapeMismatches(balance.body, credits.response.body)).toEqual([]);
  });
});
