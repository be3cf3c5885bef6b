import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { QuotaExceeded } from "~/vendors/errors.server";
import { createLlmClient, toStrictJsonSchema } from "~/vendors/llm.server";
import { startLlmSimulator } from "../sims/vendors/llm-sim";
import { closedAfterEach } from "./support/cleanup";
import { loadExchange } from "./support/fixtures";
import { shapeMismatches } from "./support/json-shape";
import { startRecordingServer } from "./support/recording-server";

/*
 * The OpenAI-compatible chat completions API:
 * - request and response examples: https://platform.openai.com/docs/api-reference/chat/create (the "Default" example)
 * - the quota error body: https://platform.openai.com/docs/guides/error-codes (429 "You exceeded your current quota")
 * - the official SDK (`openai` v6, https://github.com/openai/openai-node) is the reference for what goes on the
 *   wire: our client must send what the SDK sends for the same call, and the simulator must answer the SDK.
 */
const chat = loadExchange("openai", "chat-completion");
const quota = loadExchange("openai", "error-insufficient-quota");

const closeAfterTest = closedAfterEach();

const Lead = z.object({ industry: z.string(), employees: z.number().int().optional() });

describe("LLM client against OpenAI's documented examples and official SDK", () => {
  it("sends what the official SDK sends for the same structured-output call", async () => {
    const server = closeAfterTest(
      await startRecordingServer(() => ({
        status: 200,
        body: {
          ...(chat.response.body as object),
          choices: [{ index: 0, message: { role: "assistant", content: '{"industry":"Logistics","employees":null}', refusal: null }, finish_reason: "stop" }],
        },
      })),
    );
    const ours = createLlmClient({ baseUrl: `${server.url}/v1`, apiKey: "sk-test", model: "gpt-4.1" });
    const answer = await ours.llmJson({ schema: Lead, name: "lead", system: "You are a helpful assistant.", user: "Hello!", maxTokens: 200 });
    expect(answer.value).toEqual({ industry: "Logistics" });

    const sdk = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "sk-test", maxRetries: 0 });
    await sdk.chat.completions.create({
      model: "gpt-4.1",
      messages: [
        { role: "system", content: "You are a helpful assistant." },
        { role: "user", content: "Hello!" },
      ],
      temperature: 0,
      max_completion_tokens: 200,
      response_format: { type: "json_schema", json_schema: { name: "lead", schema: toStrictJsonSchema(Lead), strict: true } },
    });

    const [fromUs, fromSdk] = server.requests;
    expect(fromUs!.method).toBe(fromSdk!.method);
    expect(fromUs!.path).toBe(fromSdk!.path);
    expect(fromUs!.path).toBe(chat.request.path);
    expect(fromUs!.headers.authorization).toBe(fromSdk!.headers.authorization);
    expect(fromUs!.headers["content-type"]).toBe(fromSdk!.headers["content-type"]);
    expect(fromUs!.body).toEqual(fromSdk!.body);
  });

  it("reads the documented response: content, model and usage", async () => {
    const server = closeAfterTest(await startRecordingServer(() => chat.response));
    const ours = createLlmClient({ baseUrl: `${server.url}/v1`, apiKey: "sk-test", model: "gpt-4.1" });
    const doc = chat.request.body as { messages: Array<{ content: string }> };
    const answer = await ours.llmText({ system: doc.messages[0]!.content, user: doc.messages[1]!.content, maxTokens: 50 });
    expect(answer).toEqual({
      text: "Hello! How can I assist you today?",
      model: "gpt-4.1-2025-04-14",
      usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 },
    });
  });

  it("treats the documented insufficient_quota 429 as quota, not as a rate limit to retry", async () => {
    const server = closeAfterTest(await startRecordingServer(() => quota.response));
    const ours = createLlmClient({ baseUrl: `${server.url}/v1`, apiKey: "sk-test", model: "gpt-4.1" });
    await expect(ours.llmText({ system: "s", user: "Hello!", maxTokens: 5 })).rejects.toSatisfy(
      (e) => e instanceof QuotaExceeded && e.code === "insufficient_quota",
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe("LLM simulator through the official SDK", () => {
  it("answers the documented request in the documented shape, parsed by the SDK", async () => {
    const sim = await startLlmSimulator();
    closeAfterTest(sim);
    const sdk = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "sk-simulator", maxRetries: 0 });
    const completion = await sdk.chat.completions.create(chat.request.body as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(shapeMismatches(completion, chat.response.body)).toEqual([]);
  });

  it("answers a structured-output request with JSON the SDK returns as the message content", async () => {
    const sim = await startLlmSimulator();
    closeAfterTest(sim);
    const sdk = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "sk-simulator", maxRetries: 0 });
    const completion = await sdk.chat.completions.create({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "Lion City Robotics builds warehouse robots." }],
      response_format: { type: "json_schema", json_schema: { name: "lead", schema: toStrictJsonSchema(Lead), strict: true } },
    });
    expect(Lead.extend({ employees: z.number().int().nullable() }).safeParse(JSON.parse(completion.choices[0]!.message.content!)).success).toBe(true);
  });

  it("refuses a wrong key in a way the SDK reports as AuthenticationError", async () => {
    const sim = await startLlmSimulator();
    closeAfterTest(sim);
    const sdk = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "sk-wrong", maxRetries: 0 });
    await expect(sdk.chat.completions.create(chat.request.body as OpenAI.ChatCompletionCreateParamsNonStreaming)).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
  });
});
