import { expect, type Page } from "@playwright/test";

/** The history page: cards, totals and actions. */
export class HistoryPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto("/history");
    await expect(this.page.getByRole("heading", { name: "Your videos" })).toBeVisible();
  }

  card(id: string) {
    return this.page.locator(`[data-testid="history-card"][data-generation-id="${id}"]`);
  }

  async allTimeCost() {
    return (await this.page.getByTestId("totals-all-time").getByTestId("total-cost").textContent())?.trim();
  }
}
