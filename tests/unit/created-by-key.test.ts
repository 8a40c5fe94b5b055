import { afterEach, describe, expect, it, vi } from "vitest";
import { createdByKey } from "@/lib/client/created-by-key-api";
import { ApiRequestError } from "@/lib/client/api-request-error";
import { findCreatedByKey } from "@/lib/generations/created-by-key";
import { ApiError } from "@/lib/errors";

const GENERATION_ID = "G".repeat(21);
const SET_ID = "T".repeat(21);

/** Stores that hold the given keys: generation rows and take sets. */
function sources(keys: { generations?: string[]; takeSets?: string[] }) {
  const lookups: string[] = [];
  return {
    lookups,
    generations: {
      findByIdempotencyKey: async (key: string) => {
        lookups.push(`generation:${key}`);
        return keys.generations?.includes(key) ? { id: GENERATION_ID } : undefined;
      },
    },
    takeSets: {
      findByIdempotencyKey: async (key: string) => {
        lookups.push(`takes:${key}`);
        return keys.takeSets?.includes(key) ? { id: SET_ID } : undefined;
      },
    },
  };
}

describe("what an Idempotency-Key created", () => {
  it("names the generation that holds the key, without looking at take sets", async () => {
    const stores = sources({ generations: ["key-00001"] });
    expect(await findCreatedByKey("key-00001", stores)).toEqual({ kind: "generation", id: GENERATION_ID });
    expect(stores.lookups).toEqual(["generation:key-00001"]);
  });

  it("names the set of takes that holds the key", async () => {
    expect(await findCreatedByKey("key-00002", sources({ takeSets: ["key-00002"] }))).toEqual({ kind: "takes", id: SET_ID });
  });

  it("is a 404 when nothing holds the key", async () => {
    const missing = await findCreatedByKey("key-00003", sources({})).catch((error: unknown) => error);
    expect(ApiError.is(missing)).toBe(true);
    expect(missing).toMatchObject({ code: "not_found", status: 404, message: "Nothing was created with this Idempotency-Key." });
  });
});

describe("createdByKey (browser client)", () => {
  afterEach(() => vi.unstubAllGlobals());

  const answering = (status: number, body: unknown) => {
    const fetch = vi.fn(async () => Response.json(body, { status }));
    vi.stubGlobal("fetch", fetch);
    return fetch;
  };

  it("asks for the key and parses the answer", async () => {
    const fetch = answering(200, { kind: "takes", id: SET_ID });
    expect(await createdByKey("takes-1234:abcd")).toEqual({ kind: "takes", id: SET_ID });
    expect(fetch).toHaveBeenCalledWith("/api/idempotency-keys/takes-1234%3Aabcd", expect.anything());
  });

  it("answers null when nothing was created with the key", async () => {
    answering(404, { error: { code: "not_found", message: "Nothing was created with this Idempotency-Key." } });
    expect(await createdByKey("studio-1234")).toBeNull();
  });

  it("passes any other failure on", async () => {
    answering(401, { error: { code: "unauthorized", message: "Sign in to use Portrait Live on this server." } });
    await expect(createdByKey("studio-1234")).rejects.toBeInstanceOf(ApiRequestError);
    answering(503, {});
    await expect(createdByKey("studio-1234")).rejects.toMatchObject({ status: 503 });
    answering(200, { kind: "upload", id: SET_ID });
    await expect(createdByKey("studio-1234")).rejects.toThrow();
  });
});
