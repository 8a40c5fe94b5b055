import { afterAll, afterEach } from "vitest";
import { noteAnswer, takeServerErrors } from "./app-server";

/**
 * Integration setup: a test fails when an app server it talks to answers 5xx or logs an
 * error, unless the test declared exactly those lines with `expectServerErrors`.
 */
const ORIGINAL_FETCH = Symbol.for("portrait-live.tests.original-fetch");
const globals = globalThis as typeof globalThis & { [ORIGINAL_FETCH]?: typeof fetch };
const originalFetch = (globals[ORIGINAL_FETCH] ??= globalThis.fetch);

globalThis.fetch = async (input, init) => {
  const response = await originalFetch(input, init);
  const method = init?.method ?? (input instanceof Request ? input.method : "GET");
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  noteAnswer(url, method, response.status);
  return response;
};

const check = async () => {
  const problems = await takeServerErrors();
  if (problems) throw new Error(problems);
};

afterEach(check);
// Output printed by afterAll hooks (and by servers stopped there) is checked once more.
afterAll(check);
