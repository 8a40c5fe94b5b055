import { readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { testImages } from "../support/images";

let image: string;

test.beforeAll(async () => {
  image = `data:image/jpeg;base64,${(await readFile((await testImages()).portrait)).toString("base64")}`;
});

/** The API refuses a change from another site: a test's own calls say they come from the app. */
const sameOrigin = (page: Page) => ({ Origin: new URL(page.url()).origin });

/** What must be gone from an ended page: nothing of the old view, and no "trying again" for an answer that will not change. */
async function expectNothingOfTheOldView(page: Page) {
  await expect(page.getByTestId("generation")).toHaveCount(0);
  await expect(page.getByTestId("takes")).toHaveCount(0);
  await expect(page.getByText(/Lost contact with the server/)).toHaveCount(0);
}

async function expectDeletedState(page: Page, heading: string) {
  const ended = page.getByTestId("ended-state");
  await expect(ended.getByRole("heading", { level: 1, name: heading })).toBeVisible({ timeout: 5_000 });
  await expect(ended.getByRole("status")).toContainText(/deleted/i);
  await expect(ended.getByRole("link", { name: "Start a new video" })).toHaveAttribute("href", "/");
  await expect(ended.getByRole("link", { name: "Open your history" })).toHaveAttribute("href", "/history");
  await expectNothingOfTheOldView(page);
}

test("a generation deleted in another tab ends its open page, for good", async ({ page, context }) => {
  await page.goto("/history");
  const created = await page.request.post("/api/generations", { data: { image, prompt: "She looks up." }, headers: sameOrigin(page) });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  await page.goto(`/g/${id}`);
  await expect(page.getByTestId("generation-heading")).toHaveText("Making your video");

  const other = await context.newPage();
  const deleted = await other.request.delete(`/api/generations/${id}`, { headers: sameOrigin(page) });
  expect(deleted.status()).toBe(204);

  await expectDeletedState(page, "This video was deleted");
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const serious = (await new AxeBuilder({ page }).analyze()).violations.filter(
      (violation) => violation.impact === "serious" || violation.impact === "critical",
    );
    expect(
      serious.map((violation) => violation.id),
      `ended page, ${colorScheme}`,
    ).toEqual([]);
  }
  // Nothing brings the old view back: no later poll, event or retry.
  await page.waitForTimeout(3_000);
  await expectNothingOfTheOldView(page);
  await expect(page.getByTestId("ended-state")).toBeVisible();
  // Nor does going back to it, with the page's old server data in the router's cache.
  await page.getByRole("link", { name: "Open your history" }).click();
  await expect(page).toHaveURL(/\/history$/);
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/g/${id}$`));
  await expect(page.getByTestId("ended-state")).toBeVisible();
  await expectNothingOfTheOldView(page);

  const reloaded = await page.reload();
  expect(reloaded?.status()).toBe(404);
  await other.close();
});

test("a take set deleted in another tab ends its compare page", async ({ page, context }) => {
  await page.goto("/history");
  const created = await page.request.post("/api/takes", {
    data: { image, takes: [{ prompt: "a first take" }, { prompt: "a second take" }] },
    headers: sameOrigin(page),
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  await page.goto(`/t/${id}`);
  await expect(page.getByTestId("takes")).toBeVisible();

  const other = await context.newPage();
  const deleted = await other.request.delete(`/api/takes/${id}`, { headers: sameOrigin(page) });
  expect(deleted.status()).toBe(204);

  await expectDeletedState(page, "These takes were deleted");
  await page.waitForTimeout(3_000);
  await expectNothingOfTheOldView(page);

  const reloaded = await page.reload();
  expect(reloaded?.status()).toBe(404);
  await other.close();
});
