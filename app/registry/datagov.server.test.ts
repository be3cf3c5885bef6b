import { describe, expect, it } from "vitest";
import { apiKeyHeaderFor } from "./datagov.server";

const config = { apiKey: "k", downloadApiUrl: "https://api-open.data.gov.sg", metadataApiUrl: "https://api-production.data.gov.sg" };

describe("apiKeyHeaderFor", () => {
  it("sends the key to either API host", () => {
    expect(apiKeyHeaderFor("https://api-open.data.gov.sg/v1/public/api/datasets/d_1/poll-download", config)).toEqual({ "x-api-key": "k" });
    expect(apiKeyHeaderFor("https://api-production.data.gov.sg/v2/public/api/collections/2/metadata", config)).toEqual({ "x-api-key": "k" });
  });

  it("keeps it from the presigned file host, look-alike hosts and other ports", () => {
    for (const url of [
      "https://s3.ap-southeast-1.amazonaws.com/bucket/file.csv?X-Amz-Signature=abc",
      "https://api-open.data.gov.sg.attacker.example/x",
      "http://api-open.data.gov.sg/x",
      "https://api-open.data.gov.sg:8443/x",
    ]) {
      expect(apiKeyHeaderFor(url, config), url).toEqual({});
    }
  });

  it("sends nothing without a key", () => {
    expect(apiKeyHeaderFor("https://api-open.data.gov.sg/x", { ...config, apiKey: undefined })).toEqual({});
  });
});
