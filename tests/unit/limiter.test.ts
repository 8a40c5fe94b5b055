import { createServer } from "node:net";
import pg from "pg";
import { RateLimiterPostgres } from "rate-limiter-flexible";
import { afterAll, describe, expect, it } from "vitest";
import { createProcessCoordination } from "@/lib/coordination/process-coordination";
import { toLimiter } from "@/lib/coordination/limiter";
import { ApiError } from "@/lib/errors";
import { createLoginLimiters } from "@/lib/limits/login-limiters";
import { perMinuteLimit } from "@/lib/limits/per-minute-limit";

/** A loopback port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const pools: pg.Pool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
});

/** A PostgreSQL limiter whose database cannot be reached: every consume fails for real. */
async function unreachablePostgresLimiter() {
  const pool = new pg.Pool({ connectionString: `postgres://nobody:nothing@127.0.0.1:${await closedPort()}/none`, connectionTimeoutMillis: 2_000 });
  pool.on("error", () => undefined);
  pools.push(pool);
  return toLimiter(
    new RateLimiterPostgres({
      storeClient: pool,
      storeType: "pool",
      tableName: "rate_limits",
      tableCreated: true,
      clearExpiredByTimeout: false,
      points: 2,
      duration: 60,
    }),
  );
}

describe("a limiter's answers", () => {
  it("allows up to its points, then refuses with how long until there is room, without throwing", async () => {
    const limiter = createProcessCoordination().limiter({ name: "answers", points: 2, durationSeconds: 60 });
    expect(await limiter.consume("k")).toEqual({ allowed: true });
    expect(await limiter.consume("k")).toEqual({ allowed: true });
    const refused = await limiter.consume("k");
    expect(refused.allowed).toBe(false);
    if (refused.allowed) return;
    expect(refused.retryAfterMs).toBeGreaterThan(55_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    // Another key has its own allowance; asking for more than the whole allowance is refused too.
    expect(await limiter.consume("other")).toEqual({ allowed: true });
    expect((await limiter.consume("big", 3)).allowed).toBe(false);
  });

  it("gives places back on reward and forgets a key on delete", async () => {
    const limiter = createProcessCoordination().limiter({ name: "give-back", points: 1, durationSeconds: 60 });
    expect((await limiter.consume("k")).allowed).toBe(true);
    expect((await limiter.consume("k")).allowed).toBe(false);
    await limiter.reward("k", 2);
    expect((await limiter.consume("k")).allowed).toBe(true);
    await limiter.delete("k");
    expect((await limiter.consume("k")).allowed).toBe(true);
  });

  it("passes a store failure on as the error it is, not as a refusal", async () => {
    const limiter = await unreachablePostgresLimiter();
    const failure = await limiter.consume("k").then(
      (decision) => ({ decision }),
      (error: unknown) => ({ error }),
    );
    expect("error" in failure && failure.error).toBeInstanceOf(Error);
    expect((failure as { error: Error }).error.message).toMatch(/ECONNREFUSED|connect/i);
  });
});

describe("limits built on them", () => {
  it("a per-minute limit answers 429 with when to try again once used up", async () => {
    const limit = perMinuteLimit(createProcessCoordination(), "per-minute", 1);
    await limit.consume("k", "You can do this once a minute.");
    const refusal = await limit.consume("k", "You can do this once a minute.").catch((error: unknown) => error);
    expect(ApiError.is(refusal)).toBe(true);
    expect((refusal as ApiError).status).toBe(429);
    expect((refusal as ApiError).message).toMatch(/^You can do this once a minute\. Try again in (59|60) seconds\.$/);
    // Retry-After says the same wait as the message.
    expect((refusal as ApiError).message).toContain(`in ${(refusal as ApiError).retryAfterSeconds} seconds`);
  });

  it("a per-minute limit whose store fails lets the failure through (a 500), never a 429", async () => {
    const limiter = await unreachablePostgresLimiter();
    const limit = perMinuteLimit({ limiter: () => limiter }, "failing", 2);
    const failure = await limit.consume("k", "unused").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(ApiError.is(failure)).toBe(false);
  });

  it("sign-in limiters count each client and all clients apart, over 15 minutes", async () => {
    const { perClient, global } = createLoginLimiters(createProcessCoordination(), { perClient: 1, global: 2 });
    expect((await perClient.consume("a")).allowed).toBe(true);
    const refused = await perClient.consume("a");
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.retryAfterMs).toBeGreaterThan(14 * 60_000);
    expect((await perClient.consume("b")).allowed).toBe(true);
    expect((await global.consume("all")).allowed).toBe(true);
    expect((await global.consume("all")).allowed).toBe(true);
    expect((await global.consume("all")).allowed).toBe(false);
  });
});
