import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { VideoActions } from "@/components/generation/video-actions";
import { ErrorAlert } from "@/components/ui/card";

const finished = { downloadUrl: "/api/generations/g1/video?download=1", shareUrl: "/s/abc" };
const idle = { busy: false, start: () => true };

describe("a card's video actions", () => {
  it("offer download, copy link and re-run, in that order, with the test ids the card asks for", () => {
    const html = renderToStaticMarkup(
      createElement(VideoActions, { generation: finished, rerun: idle, testIds: { download: "take-download", rerun: "take-rerun" } }),
    );
    expect(
      html
        .replace(/<[^>]+>/g, "|")
        .split("|")
        .filter(Boolean),
    ).toEqual(["Download", "Copy link", "Re-run"]);
    expect(html).toContain('<a href="/api/generations/g1/video?download=1" download="" class="');
    expect(html).toMatch(/<a [^>]*data-testid="take-download">Download<\/a>/);
    expect(html).toMatch(/<button type="button" [^>]*data-testid="take-rerun">Re-run<\/button>/);
  });

  it("leave out what the video does not have yet, and re-run when the caller gives none; no test ids unless asked", () => {
    const html = renderToStaticMarkup(createElement(VideoActions, { generation: { downloadUrl: null, shareUrl: null }, rerun: null }));
    expect(html).toBe("");
    const history = renderToStaticMarkup(createElement(VideoActions, { generation: finished, rerun: idle }));
    expect(history).not.toContain("data-testid");
  });

  it("say a re-run is starting and refuse a second click meanwhile", () => {
    const html = renderToStaticMarkup(createElement(VideoActions, { generation: finished, rerun: { busy: true, start: () => false } }));
    expect(html).toMatch(/<button type="button" [^>]*disabled="">Starting…<\/button>/);
  });
});

describe("the error line", () => {
  it("is an alert with the message, and nothing without an error", () => {
    expect(renderToStaticMarkup(createElement(ErrorAlert, { error: new Error("That generation is gone.") }))).toBe(
      '<p role="alert" class="text-sm text-red-700 dark:text-red-400">That generation is gone.</p>',
    );
    expect(renderToStaticMarkup(createElement(ErrorAlert, { error: null }))).toBe("");
  });
});
