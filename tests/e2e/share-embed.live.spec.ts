import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Frame, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { finishedGeneration } from "./pages/finished-generation";

/** Another site: a page on a second loopback address that frames whatever HTML it is given. */
async function foreignSite(body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end(`<!doctype html><html><head><title>Someone's blog</title></head><body><h1>Look at this</h1>${body}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.2", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.2:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const clipboardAfterClicking = async (page: Page, testId: string) => {
  await page.getByTestId(testId).click();
  await expect(page.getByTestId(testId)).toHaveText("Copied");
  return page.evaluate(() => navigator.clipboard.readText());
};

const frameOf = async (page: Page, selector: string): Promise<Frame> => {
  const frame = await (await page.locator(selector).elementHandle())?.contentFrame();
  if (!frame) throw new Error(`no frame for ${selector}`);
  return frame;
};

test("the copy buttons give the link, the embed code, Markdown and BBCode; another site can frame the player but not the share page", async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  const { generation } = await finishedGeneration(page, "embed me");
  const link = await generation.shareLink().inputValue();
  const token = link.split("/s/")[1] ?? "";
  const poster = `${baseURL}/api/share/${token}/frame`;

  expect(await clipboardAfterClicking(page, "copy-share-link")).toBe(link);
  const embedCode = await clipboardAfterClicking(page, "copy-embed-code");
  expect(embedCode).toMatch(new RegExp(`^<iframe src="${link}/embed" width="\\d+" height="\\d+" [^>]*allow="autoplay; fullscreen" allowfullscreen></iframe>$`));
  expect(await clipboardAfterClicking(page, "copy-markdown")).toBe(`[![A portrait, brought to life](${poster})](${link})`);
  expect(await clipboardAfterClicking(page, "copy-bbcode")).toBe(`[url=${link}][img]${poster}[/img][/url]`);

  // The owner picks a lifetime: the link stays, its end date shows.
  await page.getByTestId("share-expiry-choice").selectOption("7d");
  await expect(page.getByTestId("share-expiry")).toContainText("Works until");
  expect(await generation.shareLink().inputValue()).toBe(link);

  // A stranger's blog pastes the embed code, and (wrongly) frames the share page itself too.
  const site = await foreignSite(`${embedCode}<iframe id="share-page" src="${link}" width="400" height="300"></iframe>`);
  const reader = await browser.newContext();
  try {
    const visitor = await reader.newPage();
    const refusals: string[] = [];
    visitor.on("console", (message) => {
      // Chromium's words: "Framing '<origin>/' violates the following Content Security Policy directive: …".
      if (/violates the following Content Security Policy directive: "frame-ancestors/.test(message.text())) refusals.push(message.text());
    });
    await visitor.goto(site.url);

    const embed = await frameOf(visitor, `iframe[src="${link}/embed"]`);
    const video = embed.locator("video");
    await expect.poll(() => video.evaluate((element: HTMLVideoElement) => element.readyState)).toBeGreaterThanOrEqual(2);
    await expect.poll(() => video.evaluate((element: HTMLVideoElement) => element.currentTime)).toBeGreaterThan(0.2);
    expect(await video.evaluate((element: HTMLVideoElement) => [element.muted, element.loop, element.paused])).toEqual([true, true, false]);
    await expect(embed.getByRole("link", { name: /Portrait Live/ })).toHaveAttribute("href", `/s/${token}`);

    // The share page refuses to be framed: the browser shows its error page in the frame instead.
    const blocked = await frameOf(visitor, "#share-page");
    await expect.poll(() => refusals.find((text) => text.includes(`Framing '${baseURL}/'`) && text.includes(`"frame-ancestors 'none'"`))).toBeTruthy();
    // Only the share page was refused: the player's frame was let through.
    expect(refusals).toHaveLength(1);
    await expect.poll(() => blocked.url()).not.toBe(link);
    expect(await blocked.locator("video").count()).toBe(0);
  } finally {
    await reader.close();
    await site.close();
  }
});
