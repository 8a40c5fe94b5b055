import { expect, test } from "./fixtures";
import { expectAccessible, onEveryScreen } from "./pages/accessibility";
import { signIn } from "./pages/sign-in";

test("signed in, the header is one row on a phone, and signing out sits in a keyboard-friendly menu", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  const header = page.getByRole("banner");
  const brand = header.getByRole("link", { name: "Portrait Live" });
  const menu = header.getByRole("button", { name: "Account" });
  const [brandBox, menuBox, historyBox] = await Promise.all([
    brand.boundingBox(),
    menu.boundingBox(),
    header.getByRole("link", { name: "History" }).boundingBox(),
  ]);
  // One row: brand, links and menu share a line, and the header is no taller than one.
  expect(Math.abs(brandBox!.y + brandBox!.height / 2 - (menuBox!.y + menuBox!.height / 2))).toBeLessThan(4);
  expect(Math.abs(historyBox!.y - menuBox!.y)).toBeLessThan(4);
  // This server runs in demo mode: its badge takes a second row of its own on a phone.
  const badge = header.getByTestId("demo-badge");
  const badgeRow = (await badge.count()) > 0 ? (await badge.boundingBox())!.height + 8 : 0;
  expect((await header.boundingBox())!.height).toBeLessThan(64 + badgeRow);
  await expect(header.getByRole("button", { name: "Sign out everywhere" })).toBeHidden();

  // A disclosure: Enter opens it, Tab walks it, Escape closes it and gives focus back.
  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  const everywhere = header.getByRole("button", { name: "Sign out everywhere" });
  await expect(everywhere).toBeVisible();
  await expect(everywhere).toHaveAccessibleDescription("Ends every session, on all browsers and devices");
  await page.keyboard.press("Tab");
  await expect(header.getByRole("button", { name: "Sign out", exact: true })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();
  await expect(everywhere).toBeHidden();

  // A click elsewhere closes it too.
  await menu.click();
  await expect(everywhere).toBeVisible();
  await page.getByRole("heading", { level: 1 }).click();
  await expect(everywhere).toBeHidden();

  await onEveryScreen(page, async (screen, theme) => {
    await menu.click();
    await expect(everywhere).toBeVisible();
    await expectAccessible(page, `history with the account menu open, ${screen}`, theme);
    await page.keyboard.press("Escape");
  });
});
