import { expect, type Page } from "@playwright/test";

/** The studio as a person uses it. */
export class StudioPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto("/");
    await expect(this.page.getByRole("heading", { name: "Bring a portrait to life" })).toBeVisible();
  }

  /** Open the studio, drop a photo, wait for the framing, and write the prompt. */
  async prepare(file: string, prompt: string) {
    await this.open();
    await this.drop(file);
    await this.expectFramed();
    await this.describe(prompt);
  }

  async drop(file: string) {
    await this.page.getByTestId("file-input").setInputFiles(file);
  }

  async expectFramed() {
    await expect(this.page.getByTestId("crop-stage")).toBeVisible();
    await expect(this.page.getByTestId("frame-hint")).not.toHaveText(/Looking for a face/, { timeout: 30_000 });
  }

  async chooseFrame(label: string) {
    await this.page.getByText(label, { exact: true }).click();
  }

  async describe(prompt: string) {
    await this.page.getByLabel("What should happen?").fill(prompt);
  }

  generateButton() {
    return this.page.getByTestId("generate");
  }

  async generate() {
    await this.generateButton().click();
    await this.page.waitForURL(/\/g\/[A-Za-z0-9_-]{21}$/);
    return this.page.url().split("/g/")[1] ?? "";
  }

  dropError() {
    return this.page.getByTestId("drop-error");
  }
}
