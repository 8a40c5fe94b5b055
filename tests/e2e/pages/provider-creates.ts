import { randomUUID } from "node:crypto";
import { FAKE_UPSTREAM_URL } from "../../../playwright.config";
import { fakeControl } from "../../fake-upstream/control-client";

/** The fake provider: what was really started (and paid for). */
export const fake = fakeControl(FAKE_UPSTREAM_URL);

/** A prompt no other test (or repeat) uses, so the provider's count is this test's alone. */
export const unique = (what: string) => `${what} ${randomUUID().slice(0, 8)}`;

/** The provider tasks created with exactly this prompt. */
export const createsFor = async (prompt: string) => (await fake.stats()).creates.requests.filter((request) => request.params.prompt === prompt);
