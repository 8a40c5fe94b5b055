import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { FAKE_UPSTREAM_URL } from "../../playwright.config";
import { fakeControl } from "../fake-upstream/control-client";
import { expireShareLink } from "../support/expire-share-link";
import { testImages, type TestImages } from "../support/images";
import { expectAccessible, onEveryScreen } from "./pages/accessibility";
import { finishedGeneration } from "./pages/finished-generation";
import { HistoryPage } from "./pages/history-page";
import { StudioPage } from "./pages/studio-page";

const fake = fakeControl(FAKE_UPSTREAM_URL);
let files: TestImages;

test.beforeAll(async () => {
  files = await testImages();
});

/** Dollars and cents, as a price reads: "$0.28". */
const MONEY = /^\$\d{1,3}(,\d{3})*\.\d{2}$/;

test("money reads like money on the result page and in the history, whatever precision the provider bills in", async ({ page }) => {
  await fake.setFaults({ reportedCost: "0.2800" });
  try {
    const { id } = await finishedGeneration(page, "She smiles warmly.");
    await expect(page.getByText(/ · cost \$0\.28(?! ?\d)/)).toBeVisible({ timeout: 30_000 });
    await expect(page.locator("body")).not.toContainText("0.2800");
    const history = new HistoryPage(page);
    await history.open();
    await expect(history.card(id).getByTestId("history-cost")).toHaveText("· $0.28");
    for (const total of await page.getByTestId("total-cost").allTextContents()) expect(total.trim()).toMatch(MONEY);
  } finally {
    await fake.setFaults({ reportedCost: undefined });
  }
});

test("a single generation says what it costs and whether it waits before the click", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.prepare(files.portrait, "He nods.");
  await expect(page.getByTestId("generation-quote")).toHaveText(/^About \$\d+\.\d{2} · (starts at once|will wait for a free slot: \d+(st|nd|rd|th) in line)$/);
  await expect(studio.generateButton()).toBeEnabled();
});

test("takes offer curated motions, picked per take and editable, never glued together", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.prepare(files.portrait, "She looks up.");
  await page.getByTestId("take-count-3").click();
  const motion2 = page.getByRole("combobox", { name: "Motion for take 2" });
  const motion3 = page.getByRole("combobox", { name: "Motion for take 3" });
  const labels = (await motion2.locator("option").allTextContents()).map((label) => label.trim());
  expect(labels.length).toBeGreaterThanOrEqual(8);
  const prompt2 = page.getByTestId("take-prompt-2");
  const prompt3 = page.getByTestId("take-prompt-3");
  const first = await prompt2.inputValue();
  expect(first).not.toBe(await prompt3.inputValue());
  for (const prompt of [first, await prompt3.inputValue()]) {
    expect(prompt).toMatch(/^The person [^]*\.$/);
    expect(prompt).not.toContain("She looks up");
  }

  // Picking a motion writes its whole prompt; editing it makes it the user's own words.
  await motion3.selectOption({ label: "Quiet laugh" });
  await expect(prompt3).toHaveValue(/^The person laughs quietly/);
  await prompt3.fill("She laughs and covers her mouth.");
  await expect(motion3).toHaveValue("own");
  await expect(motion3.locator("option:checked")).toHaveText("Your own words");

  // Vary deals motions not just shown.
  await page.getByTestId("take-vary").click();
  await expect(prompt2).not.toHaveValue(first);
  expect(await prompt2.inputValue()).not.toBe(await prompt3.inputValue());
  for (const prompt of [await prompt2.inputValue(), await prompt3.inputValue()]) expect(prompt).not.toMatch(/, then .*, then /);

  await onEveryScreen(page, async (screen, theme) => expectAccessible(page, `studio with takes, ${screen}`, theme));
});

async function expectEndedPage(page: Page, path: string, status: number) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(status);
  expect(response?.headers()["content-security-policy"], path).toBeTruthy();
  await expect(page.getByRole("heading", { level: 1, name: "This video is no longer shared" })).toBeVisible();
  await expect(page.getByText("Portrait Live", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Make your own" })).toHaveAttribute("href", "/");
  await expect(page.locator("video")).toHaveCount(0);
}

test("dead links welcome outsiders: a branded page, 404 when unknown, 410 once expired, in every screen and theme", async ({ page }) => {
  const image = `data:image/jpeg;base64,${(await readFile(files.portrait)).toString("base64")}`;
  await page.goto("/history");
  const created = await page.request.post("/api/generations", { data: { image, prompt: "She waves." }, headers: { Origin: new URL(page.url()).origin } });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  let shareUrl: string | null = null;
  await expect
    .poll(
      async () => {
        const view = (await (await page.request.get(`/api/generations/${id}`)).json()) as { status: string; shareUrl: string | null };
        shareUrl = view.shareUrl;
        return view.status;
      },
      { timeout: 60_000 },
    )
    .toBe("succeeded");
  const token = (shareUrl as string | null)?.split("/s/")[1] ?? "";
  expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
  expireShareLink(path.resolve("test-results/e2e-data-live/portrait-live.sqlite"), token);

  const unknown = "Q".repeat(24);
  await onEveryScreen(page, async (screen, theme) => {
    await expectEndedPage(page, `/s/${unknown}`, 404);
    await expectAccessible(page, `unknown share link, ${screen}`, theme);
    await expectEndedPage(page, `/s/${token}`, 410);
    await expectAccessible(page, `expired share link, ${screen}`, theme);
    await expectEndedPage(page, `/s/${token}/embed`, 410);
    await expectAccessible(page, `expired player, ${screen}`, theme);
  });
  // In someone else's frame, "Make your own" opens a tab of its own.
  await expectEndedPage(page, "/s/not-a-token/embed", 404);
  await expect(page.getByRole("link", { name: "Make your own" })).toHaveAttribute("target", "_blank");
  await expectEndedPage(page, "/s/not-a-token", 404);
  await page.getByRole("link", { name: "Make your own" }).click();
  await expect(page).toHaveURL(/\/$/);
});
