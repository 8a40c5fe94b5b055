import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The two screens every page is checked on: a 1280×800 desktop and a 390×844 phone. */
export const SCREENS = [
  { name: "desktop", viewport: { width: 1280, height: 800 } },
  { name: "phone", viewport: { width: 390, height: 844 } },
] as const;
export const THEMES = ["light", "dark"] as const;

/** No WCAG 2.1 A or AA violation on the page as it is now, in `theme`. */
export async function expectAccessible(page: Page, label: string, theme: (typeof THEMES)[number]) {
  await page.emulateMedia({ colorScheme: theme });
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(
    violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`),
    `${label}, ${theme}`,
  ).toEqual([]);
}

/** Every screen and theme, with `check` run on the page set to each. */
export async function onEveryScreen(page: Page, check: (screen: (typeof SCREENS)[number]["name"], theme: (typeof THEMES)[number]) => Promise<void>) {
  for (const screen of SCREENS) {
    await page.setViewportSize(screen.viewport);
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await check(screen.name, theme);
    }
  }
}
