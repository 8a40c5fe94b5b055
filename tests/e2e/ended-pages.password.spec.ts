import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures";
import { signIn } from "./pages/sign-in";
import { testImages } from "../support/images";

test("signing out in another tab ends an open generation page: no ready view, download or player after it", async ({ page, context }) => {
  // Records whether the page ever shows a finished video, from its first paint on.
  await page.addInitScript(() => {
    const seen = window as unknown as { __sawReady: boolean };
    seen.__sawReady = false;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="download"], [data-testid="result-video"]') || document.body?.innerText.includes("Your video is ready")) {
        seen.__sawReady = true;
      }
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  await signIn(page);
  // The other tab is ready to sign out before the 4 s demo generation starts: signing out must land while it runs.
  const other = await context.newPage();
  await other.goto("/history");
  await other.getByTestId("account-menu").click();
  const image = `data:image/jpeg;base64,${(await readFile((await testImages()).portrait)).toString("base64")}`;
  const created = await page.request.post("/api/generations", {
    data: { image, prompt: "He turns to the light." },
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  await page.goto(`/g/${id}`);
  await expect(page.getByTestId("generation-heading")).toHaveText("Making your video");

  await other.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(other).toHaveURL(/\/login/);

  const ended = page.getByTestId("ended-state");
  await expect(ended.getByRole("heading", { level: 1, name: "You were signed out" })).toBeVisible({ timeout: 5_000 });
  await expect(ended.getByRole("link", { name: "Sign in again" })).toHaveAttribute("href", `/login?next=%2Fg%2F${id}`);

  // Well past the demo generation's 4 s: it finished on the server, and this page must not say so.
  await page.waitForTimeout(6_000);
  await expect(ended).toBeVisible();
  await expect(page.getByTestId("download")).toHaveCount(0);
  await expect(page.getByTestId("result-video")).toHaveCount(0);
  await expect(page.getByText("Your video is ready")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __sawReady: boolean }).__sawReady)).toBe(false);
  await other.close();
});
