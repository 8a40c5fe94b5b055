import { expect, test } from "./fixtures";
import { signIn } from "./pages/sign-in";

test("sign out ends this browser's session only", async ({ page, browser, baseURL }) => {
  await signIn(page);
  const phone = await browser.newContext({ baseURL });
  const phonePage = await phone.newPage();
  await signIn(phonePage);

  await page.getByTestId("account-menu").click();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/history");
  await expect(page).toHaveURL(/\/login/);

  await phonePage.goto("/history");
  await expect(phonePage).toHaveURL(/\/history$/);
  await phone.close();
});

test("sign out everywhere ends the sessions of every browser", async ({ page, browser, baseURL }) => {
  await signIn(page);
  const phone = await browser.newContext({ baseURL });
  const phonePage = await phone.newPage();
  await signIn(phonePage);

  await page.getByTestId("account-menu").click();
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/login/);
  await phonePage.goto("/history");
  await expect(phonePage).toHaveURL(/\/login/);
  await phone.close();
});
