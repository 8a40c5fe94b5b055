import { expect, test } from "./fixtures";
import { expectAccessible, onEveryScreen } from "./pages/accessibility";

// This server has no APP_PASSWORD and listens on every interface (playwright.config.ts).

test("an open server says so calmly on the studio, once per session, and nowhere else", async ({ page, browser }) => {
  await page.goto("/");
  const notice = page.getByTestId("exposure-notice");
  await expect(notice).toBeVisible();
  await expect(notice).toHaveText(/anyone who can reach this server can spend your API key/);
  await expect(page.getByRole("alert").filter({ hasText: "APP_PASSWORD" })).toHaveCount(0);
  await onEveryScreen(page, async (screen, theme) => {
    // One line on a desktop; a couple on a phone, never the old block.
    expect((await notice.boundingBox())!.height).toBeLessThan(screen === "desktop" ? 48 : 110);
    await expectAccessible(page, `studio with the password notice, ${screen}`, theme);
  });

  await page.goto("/history");
  await expect(page.getByRole("heading", { name: "Your videos" })).toBeVisible();
  await expect(page.getByTestId("exposure-notice")).toHaveCount(0);

  await page.goto("/");
  await page.getByRole("button", { name: "Dismiss" }).click();
  await expect(notice).toBeHidden();
  // Back on the studio in this session: hidden from the first paint, so nothing flashes or jumps.
  await page.goto("/", { waitUntil: "commit" });
  await page.waitForSelector("[data-testid=exposure-notice]", { state: "attached" });
  await expect(page.getByTestId("exposure-notice")).toBeHidden({ timeout: 1 });
  await page.reload();
  await expect(page.getByTestId("exposure-notice")).toBeHidden();

  // A new session sees it again.
  const other = await browser.newPage({ baseURL: new URL(page.url()).origin });
  await other.goto("/");
  await expect(other.getByTestId("exposure-notice")).toBeVisible();
  await other.close();
});
