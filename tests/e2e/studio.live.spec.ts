import AxeBuilder from "@axe-core/playwright";
import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures";
import { FAKE_UPSTREAM_URL } from "../../playwright.config";
import { fakeControl } from "../fake-upstream/control-client";
import sharp from "sharp";
import type { Page } from "@playwright/test";
import { BANDS, testImages, type TestImages } from "../support/images";
import { GenerationPage } from "./pages/generation-page";
import { StudioPage } from "./pages/studio-page";

const fake = fakeControl(FAKE_UPSTREAM_URL);
let files: TestImages;

test.beforeAll(async () => {
  files = await testImages();
});

test("drop → frame → describe → generate → watch it play → download → share", async ({ page, browser }) => {
  // The page must work under its own Content-Security-Policy, not merely send one.
  const cspViolations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  const studio = new StudioPage(page);
  await studio.open();
  await studio.drop(files.portrait);
  await studio.expectFramed();
  await studio.chooseFrame("9:16");
  await studio.describe("She smiles and turns to the camera.");
  const id = await studio.generate();

  const generation = new GenerationPage(page);
  await generation.expectInProgress();
  await expect(page.getByRole("progressbar")).toBeVisible();
  await generation.expectPlaying();

  const sent = (await fake.stats()).creates.requests.find((request) => request.params.prompt === "She smiles and turns to the camera.");
  // 9:16 from a 900×1200 photo: the upload keeps that frame.
  expect(sent?.image?.width).toBeDefined();
  expect((sent?.image?.width ?? 0) / (sent?.image?.height ?? 1)).toBeCloseTo(9 / 16, 2);

  const download = await generation.download();
  expect(download.suggestedFilename()).toMatch(/^portrait-live-\d{4}-\d{2}-\d{2}-she-smiles-and-turns-to-the\.mp4$/);
  const bytes = await readFile((await download.path()) ?? "");
  expect(bytes.subarray(4, 8).toString("latin1")).toBe("ftyp");

  const shareUrl = await generation.shareLink().inputValue();
  expect(shareUrl).toMatch(/\/s\/[A-Za-z0-9_-]{24}$/);
  const stranger = await browser.newContext();
  const visitor = await stranger.newPage();
  await visitor.goto(shareUrl);
  await expect(visitor.getByText("She smiles and turns to the camera.")).toBeVisible();
  const shared = visitor.getByLabel("Shared portrait video");
  await expect.poll(() => shared.evaluate((element: HTMLVideoElement) => element.readyState)).toBeGreaterThanOrEqual(2);
  await stranger.close();
  expect(id).toHaveLength(21);
  expect(cspViolations).toEqual([]);
});

test("explains what is wrong with a photo before anything is sent", async ({ page }) => {
  const before = (await fake.stats()).creates.requests.length;
  const studio = new StudioPage(page);
  await studio.open();
  const refusals: Array<[file: string, message: string | RegExp]> = [
    [files.tooSmall, /300×400 px.*more than 300 px/],
    [files.notAnImage, "This file is not a JPG, PNG or WebP image."],
    [files.gifNamedPng, /GIF images are not supported/],
    [files.heic, /HEIC\/HEIF photos are not supported.*Most Compatible/],
    [files.damagedJpeg, /could not be decoded/],
    [files.oversized, /21\.0 MB; it must be under 20 MB/],
  ];
  for (const [file, message] of refusals) {
    await studio.drop(file);
    await expect(studio.dropError()).toHaveText(message);
    await expect(studio.generateButton()).toBeDisabled();
  }

  await studio.drop(files.portrait);
  await studio.expectFramed();
  await expect(studio.dropError()).toBeEmpty();
  await studio.describe("a".repeat(2001));
  await expect(page.getByTestId("prompt-counter")).toHaveText("2001 / 2000");
  await expect(page.getByTestId("prompt-error")).toHaveText(/2001 characters; the limit is 2000/);
  await expect(studio.generateButton()).toBeDisabled();
  // Code points, as the provider counts: 2000 emoji are 2000 characters, not 4000.
  await studio.describe("🙂".repeat(2000));
  await expect(page.getByTestId("prompt-counter")).toHaveText("2000 / 2000");
  await expect(studio.generateButton()).toBeEnabled();
  expect((await fake.stats()).creates.requests.length).toBe(before);
});

test("the frame cannot be zoomed below what the model accepts, and says why", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.drop(files.narrow);
  await studio.expectFramed();
  // 480×1440: too narrow for a 16:9 frame over 300 px tall, and 1:3 is outside 2:5–5:2.
  await expect(studio.frameShape("16:9")).toHaveCount(0);
  await expect(studio.frameShape("Original")).toHaveCount(0);
  await studio.chooseFrame("3:2");
  await studio.zoomInWithKeyboard(10);
  await expect(page.getByTestId("frame-hint")).toHaveText(/as close as it goes.*300 px or less/);
  await studio.describe("zoom limit check");
  await studio.generate();
  const sentImage = async () => (await fake.stats()).creates.requests.find((request) => request.params.prompt === "zoom limit check")?.image;
  await expect.poll(sentImage).toBeTruthy();
  const image = await sentImage();
  expect(Math.min(image?.width ?? 0, image?.height ?? 0)).toBeGreaterThan(300);
  expect((image?.width ?? 0) / (image?.height ?? 1)).toBeCloseTo(3 / 2, 1);
});

test("a phone photo with EXIF rotation comes out upright", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.drop(files.rotatedExif);
  await studio.expectFramed();
  await expect(page.getByTestId("crop-stage")).toHaveAttribute("data-image-width", "600");
  await expect(page.getByTestId("crop-stage")).toHaveAttribute("data-image-height", "800");
  await studio.chooseFrame("Original");
  await studio.describe("exif upright check");
  await studio.generate();
  await expect
    .poll(async () => (await fake.stats()).creates.requests.find((request) => request.params.prompt === "exif upright check")?.image)
    .toMatchObject({
      width: 600,
      height: 800,
    });
});

test("a 24-megapixel photo is framed and sent small", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.drop(files.huge);
  await studio.expectFramed();
  await studio.chooseFrame("9:16");
  await studio.describe("huge photo check");
  await studio.generate();
  const sentImage = async () => (await fake.stats()).creates.requests.find((request) => request.params.prompt === "huge photo check")?.image;
  await expect.poll(sentImage).toBeTruthy();
  const image = await sentImage();
  expect(Math.max(image?.width ?? 0, image?.height ?? 0)).toBeLessThanOrEqual(1280);
  expect(image?.bytes ?? Infinity).toBeLessThan(1.5 * 1024 * 1024);
});

/**
 * The portrait generation `id` was made from, as the server keeps it and the provider got
 * it (the upload the create named, upright): its size and the colour at a point.
 */
async function uploadedImage(page: Page, id: string) {
  const response = await page.request.get(`/api/generations/${id}/input`);
  expect(response.status()).toBe(200);
  const { data, info } = await sharp(await response.body())
    .raw()
    .toBuffer({ resolveWithObject: true });
  const colourAt = (x: number, y: number) => {
    const [r = 0, g = 0, b = 0] = data.subarray((Math.round(y) * info.width + Math.round(x)) * info.channels);
    return r > 180 && g > 180 && b > 180 ? "white" : r > g && r > b ? "red" : g > r && g > b ? "green" : "blue";
  };
  return { width: info.width, height: info.height, colourAt };
}

test("a large phone photo is decoded at reduced scale yet uploads exactly the framed part, upright", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.drop(files.bandsRotated);
  await studio.expectFramed();
  await expect(page.getByTestId("crop-stage")).toHaveAttribute("data-image-width", String(BANDS.width));
  await expect(page.getByTestId("crop-stage")).toHaveAttribute("data-image-height", String(BANDS.height));
  // 1280 / 4000 = 0.32, rounded up to the decoder's eighths: enough for any frame at zoom 1,
  // a seventh of the pixels of a full decode.
  await expect(page.getByTestId("crop-stage")).toHaveAttribute("data-decode-scale", "0.375");
  await studio.chooseFrame("9:16");
  await studio.describe("reduced-scale decode check");
  const upload = await uploadedImage(page, await studio.generate());
  // No face, so the frame is centred: 3375×6000 source pixels from x = 312, sent as 720×1280.
  expect({ width: upload.width, height: upload.height }).toEqual({ width: 720, height: 1280 });
  const toUpload = (sourceX: number) => ((sourceX - (BANDS.width - 3375) / 2) * 720) / 3375;
  expect(upload.colourAt(toUpload(BANDS.lineX), 640)).toBe("white");
  expect(upload.colourAt(toUpload(BANDS.lineX) + 12, 640)).toBe("green");
  expect(upload.colourAt(toUpload(BANDS.lineX) - 12, 640)).toBe("green");
  expect(upload.colourAt(5, 640)).toBe("red");
  expect(upload.colourAt(715, 640)).toBe("blue");
});

test("a deep zoom into a large photo uploads it at full detail", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.drop(files.bandsRotated);
  await studio.expectFramed();
  await studio.chooseFrame("9:16");
  // Zoom 5: a 675×1200 frame, more detail than the reduced-scale decode holds.
  await studio.zoomInWithKeyboard(40);
  await expect(page.getByTestId("frame-hint")).toHaveText(/closest zoom/);
  await studio.describe("full detail decode check");
  const upload = await uploadedImage(page, await studio.generate());
  expect({ width: upload.width, height: upload.height }).toEqual({ width: 675, height: 1200 });
  // The white line is 25 source pixels wide: at full detail it is 25 upload pixels wide.
  const centre = 675 / 2;
  expect(upload.colourAt(centre, 600)).toBe("white");
  expect(upload.colourAt(centre - 10, 600)).toBe("white");
  expect(upload.colourAt(centre + 10, 600)).toBe("white");
  expect(upload.colourAt(centre - 16, 600)).toBe("green");
  expect(upload.colourAt(centre + 16, 600)).toBe("green");
});

test("a portrait pasted anywhere on the page is framed like a dropped one", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.paste(files.portrait, "image/jpeg");
  await studio.expectFramed();
  await expect(page.getByTestId("crop-stage")).toHaveAttribute("data-image-width", "900");
  // A paste while writing the prompt is for the prompt: it does not swap the photo.
  await studio.paste(files.narrow, "image/jpeg", studio.prompt());
  await expect(page.getByTestId("crop-stage")).toHaveAttribute("data-image-width", "900");
  await studio.paste(files.narrow, "image/jpeg");
  await expect(page.getByTestId("crop-stage")).toHaveAttribute("data-image-width", "480");
});

test("the recent strip links back to each generation with its status", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.prepare(files.portrait, "recent strip check");
  const id = await studio.generate();
  await new GenerationPage(page).expectPlaying();
  await studio.open();
  const card = page.getByTestId("recent-strip").getByRole("link", { name: /recent strip check/ });
  await expect(card).toHaveAttribute("href", `/g/${id}`);
  await expect(card).toContainText("Ready");
  await card.click();
  await page.waitForURL(`**/g/${id}`);
  await new GenerationPage(page).expectPlaying();
});

test("reloading in the middle of a generation picks it up again", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.prepare(files.portrait, "reload me");
  await studio.generate();
  const generation = new GenerationPage(page);
  await generation.expectInProgress();
  await page.reload();
  await generation.expectPlaying();
});

test("a double click starts exactly one task", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.prepare(files.portrait, "double click check");
  const before = (await fake.stats()).creates.accepted;
  await studio.generateButton().dblclick();
  await page.waitForURL(/\/g\//);
  await new GenerationPage(page).expectPlaying();
  expect((await fake.stats()).creates.accepted - before).toBe(1);
});

test("a retry after the answer was lost on the network returns the same task", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.prepare(files.portrait, "lost answer check");
  const before = (await fake.stats()).creates.accepted;
  const keys: string[] = [];
  // The first request reaches the server (which starts the task); its answer never arrives.
  await page.route("**/api/generations", async (route) => {
    keys.push((await route.request().headerValue("idempotency-key")) ?? "");
    if (keys.length === 1) {
      await route.fetch();
      await route.abort("connectionreset");
    } else {
      await route.continue();
    }
  });
  await studio.generateButton().click();
  await expect(page.getByTestId("generate-error")).toHaveText(/could not be reached/);
  await studio.generate();
  await new GenerationPage(page).expectPlaying();
  expect(keys).toHaveLength(2);
  expect(keys[1]).toBe(keys[0]);
  expect((await fake.stats()).creates.accepted - before).toBe(1);
});

test("studio and generation pages have no serious accessibility problems", async ({ page }) => {
  const studio = new StudioPage(page);
  const serious = async () =>
    (await new AxeBuilder({ page }).analyze()).violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => ({ id: violation.id, nodes: violation.nodes.map((node) => node.target.join(" ")) }));
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await studio.open();
    expect(await serious(), `empty studio, ${colorScheme}`).toEqual([]);
    await studio.drop(files.portrait);
    await studio.expectFramed();
    await studio.describe("a".repeat(2001));
    expect(await serious(), `studio with a photo and an error, ${colorScheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: "light" });
  await studio.describe("accessibility check");
  await studio.generate();
  const generation = new GenerationPage(page);
  await generation.expectInProgress();
  expect(await serious(), "generation in progress").toEqual([]);
  await generation.expectPlaying();
  expect(await serious(), "finished generation").toEqual([]);
  await page.emulateMedia({ colorScheme: "dark" });
  expect(await serious(), "finished generation, dark").toEqual([]);
});

/**
 * Holds the page's uploads at the network while `holding` is on, and counts them: lets a
 * test keep an upload in flight for as long as it needs.
 */
async function controlUploads(page: Page) {
  const control = { holding: false, started: 0, failed: 0, release: () => undefined as void };
  let released = Promise.resolve();
  const hold = () => {
    control.holding = true;
    released = new Promise<void>((resolve) => (control.release = () => ((control.holding = false), resolve())));
  };
  page.on("requestfailed", (request) => {
    if (request.url().endsWith("/api/uploads")) control.failed += 1;
  });
  await page.route("**/api/uploads", async (route) => {
    control.started += 1;
    if (control.holding) await released;
    // An upload the page gave up on meanwhile cannot be continued.
    await route.continue().catch(() => undefined);
  });
  return { control, hold };
}

const createFor = async (prompt: string) => (await fake.stats()).creates.requests.find((request) => request.params.prompt === prompt);

test("a changed framing never sends the stale crop, even while the old upload is still on its way", async ({ page }) => {
  const studio = new StudioPage(page);
  const { control, hold } = await controlUploads(page);
  await studio.open();
  await studio.drop(files.bandsRotated);
  await studio.expectFramed();
  await studio.expectUploaded();

  // 9:16 at zoom 1 (red and blue at its edges): its upload is kept in flight...
  hold();
  const before = control.started;
  await studio.chooseFrame("9:16");
  await expect.poll(() => control.started).toBe(before + 1);
  await expect(studio.uploadStatus()).toHaveAttribute("data-phase", "uploading");
  // ...while the frame moves on to the deepest zoom: green around the white line only.
  control.holding = false;
  await studio.zoomInWithKeyboard(40);
  await expect(page.getByTestId("frame-hint")).toHaveText(/closest zoom/);
  await studio.expectUploaded();
  control.release();
  // The stale upload was cancelled, not merely ignored.
  await expect.poll(() => control.failed).toBeGreaterThanOrEqual(1);

  await studio.describe("stale framing check");
  const id = await studio.generate();
  await expect.poll(() => createFor("stale framing check")).toBeTruthy();
  // The provider got the new framing: 675×1200 source pixels at full detail, not 720×1280.
  expect((await createFor("stale framing check"))?.image).toMatchObject({ width: 675, height: 1200 });
  const upload = await uploadedImage(page, id);
  expect(upload.colourAt(675 / 2, 600)).toBe("white");
  expect(upload.colourAt(5, 600)).toBe("green");
  expect(upload.colourAt(670, 600)).toBe("green");
});

test("Generate while the upload is running waits for it, says so, and then goes", async ({ page }) => {
  const studio = new StudioPage(page);
  const { control, hold } = await controlUploads(page);
  const creates: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().endsWith("/api/generations")) creates.push(request.postData() ?? "");
  });
  hold();
  await studio.prepare(files.portrait, "waits for the upload");
  await expect(studio.uploadStatus().getByRole("status")).toHaveText("Uploading your framing…");
  await expect(studio.uploadStatus().getByRole("progressbar")).toBeVisible();

  await studio.generateButton().click();
  await expect(studio.generateButton()).toHaveText(/Finishing the upload/);
  await expect(page.getByTestId("generate-wait")).toHaveText(/still uploading; the video starts as soon as it is there/);
  await page.waitForTimeout(1000);
  expect(creates).toEqual([]);

  control.release();
  await page.waitForURL(/\/g\/[A-Za-z0-9_-]{21}$/);
  await new GenerationPage(page).expectInProgress();
  expect(creates).toHaveLength(1);
  const body = JSON.parse(creates[0] ?? "{}") as Record<string, unknown>;
  // Only the upload's id travels with the click, never the image.
  expect(Object.keys(body).sort()).toEqual(["prompt", "promptOptimizer", "uploadId", "watermark"]);
  expect(body.uploadId).toMatch(/^[A-Za-z0-9_-]{21}$/);
  await expect.poll(async () => (await createFor("waits for the upload"))?.image?.width).toBe(900);
});

test("a failed upload is retried, and the studio says what is happening", async ({ page, serverErrors }) => {
  // The 503 is the test's own stand-in answer, not the server's.
  serverErrors.expect(/answered 503 to POST .*\/api\/uploads$/);
  const studio = new StudioPage(page);
  let tries = 0;
  await page.route("**/api/uploads", async (route) => {
    tries += 1;
    if (tries === 1) return route.abort("connectionreset");
    if (tries === 2)
      return route.fulfill({ status: 503, contentType: "application/json", body: '{"error":{"code":"unavailable","message":"Try again shortly."}}' });
    await route.continue();
  });
  await studio.open();
  await studio.drop(files.portrait);
  await expect(studio.uploadStatus().getByRole("status")).toHaveText("The upload was interrupted; trying again…");
  await studio.expectUploaded();
  expect(tries).toBe(3);
  await studio.describe("retried upload check");
  await studio.generate();
  await expect.poll(async () => (await createFor("retried upload check"))?.image?.width).toBe(900);
});
