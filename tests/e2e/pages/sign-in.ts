import { expect, type Page } from "@playwright/test";
import { E2E_PASSWORD } from "../../../playwright.config";

/** Signs in as the owner from the login page a private page sends visitors to. */
export async function signIn(page: Page) {
  await page.goto("/history");
  await expect(page).toHaveURL(/\/login\?next=%2Fhistory$/);
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/history$/);
}
