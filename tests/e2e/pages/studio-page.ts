import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, type Locator, type Page } from "@playwright/test";

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

  /** Paste a file as the clipboard would deliver it, into `target` (the page itself by default). */
  async paste(file: string, type: string, target: Locator = this.page.locator("body")) {
    const bytes = [...(await readFile(file))];
    await target.evaluate(
      (element, { bytes, type, name }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
        element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true }));
      },
      { bytes, type, name: path.basename(file) },
    );
  }

  async expectFramed() {
    await expect(this.page.getByTestId("crop-stage")).toBeVisible();
    await expect(this.page.getByTestId("frame-hint")).not.toHaveText(/Looking for a face/, { timeout: 30_000 });
  }

  frameShape(label: string) {
    return this.page.getByRole("radio", { name: label, exact: true });
  }

  async chooseFrame(label: string) {
    await this.page.getByText(label, { exact: true }).click();
    await expect(this.frameShape(label)).toBeChecked();
  }

  /** Focus the frame and press + as a keyboard user would. */
  async zoomInWithKeyboard(presses: number) {
    // The cropper sets its zoom from the initial framing once the photo has loaded: zooming
    // before that (a slow, busy machine) would be undone.
    await expect(this.page.getByTestId("crop-stage").getByRole("img", { name: "Your portrait" })).toHaveJSProperty("complete", true);
    await expect
      .poll(() =>
        this.page
          .getByTestId("crop-stage")
          .getByRole("img", { name: "Your portrait" })
          .evaluate((image: HTMLImageElement) => image.naturalWidth),
      )
      .toBeGreaterThan(0);
    await this.page.getByRole("application", { name: /Portrait frame/ }).focus();
    for (let press = 0; press < presses; press++) await this.page.keyboard.press("+");
  }

  /** Add motion ideas by their button labels. */
  async addMotion(...labels: string[]) {
    for (const label of labels) await this.page.getByRole("button", { name: label, exact: true }).click();
  }

  prompt() {
    return this.page.getByLabel("What should happen?");
  }

  async describe(prompt: string) {
    await this.prompt().fill(prompt);
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

  /** The quiet line under the frame saying where the crop's upload is. */
  uploadStatus() {
    return this.page.getByTestId("upload-status");
  }

  async expectUploaded() {
    await expect(this.uploadStatus().getByRole("status")).toHaveText(/Framing uploaded, ready to generate/);
  }
}
