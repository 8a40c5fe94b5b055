import { existsSync, readFileSync, statSync } from "node:fs";
import { test as base, type BrowserContext } from "@playwright/test";
import { SERVER_LOGS } from "../../playwright.config";
import { errorLines, judge } from "../support/server-errors";

export { expect } from "@playwright/test";

export interface ServerErrors {
  /** Declares the error lines this test provokes on purpose; each must then appear. */
  expect(...patterns: RegExp[]): void;
}

/** React's hydration failures, in development wording and as production error numbers. */
const HYDRATION_ERROR = /hydrat|react\.dev\/errors\/(418|423|425)\b|Minified React error #(418|423|425)\b/i;

const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0);

/**
 * Every browser test fails when a page answers 5xx, fails to hydrate, or an app server
 * logs an error-level line while it runs (in any browser context the test opens), unless
 * the test declared exactly those lines with `serverErrors.expect`.
 */
export const test = base.extend<{ serverErrors: ServerErrors }>({
  serverErrors: [
    async ({ context, browser }, use) => {
      const files = Object.values(SERVER_LOGS);
      const offsets = new Map(files.map((file) => [file, sizeOf(file)]));
      const answers: string[] = [];
      const allowed: RegExp[] = [];
      const watch = (watched: BrowserContext) => {
        watched.on("response", (response) => {
          if (response.status() >= 500) answers.push(`answered ${response.status()} to ${response.request().method()} ${response.url()}`);
        });
        // The server's HTML not matching what the browser renders is the same class of fault:
        // React throws the server's page away and renders it again.
        watched.on("weberror", (error) => {
          if (HYDRATION_ERROR.test(error.error().message)) answers.push(`hydration error in ${error.page()?.url()}: ${error.error().message}`);
        });
        watched.on("console", (message) => {
          if (message.type() === "error" && HYDRATION_ERROR.test(message.text()))
            answers.push(`hydration error in ${message.page()?.url()}: ${message.text()}`);
        });
      };
      watch(context);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const created = await newContext(...args);
        watch(created);
        return created;
      };
      try {
        await use({ expect: (...patterns) => allowed.push(...patterns) });
      } finally {
        browser.newContext = newContext;
      }
      // A line logged just after the last answer may still be on its way to the file.
      await new Promise((resolve) => setTimeout(resolve, 250));
      const lines = files.flatMap((file) => {
        if (!existsSync(file)) return [];
        const fresh = readFileSync(file)
          .subarray(offsets.get(file) ?? 0)
          .toString("utf8");
        return errorLines(fresh).map((line) => `${file}: ${line}`);
      });
      const { unexpected, unseen } = judge([...lines, ...answers], allowed);
      const problems = [
        ...(unexpected.length > 0
          ? [`server errors during this test (error-level log lines, 5xx answers, failed hydration):\n  ${unexpected.join("\n  ")}`]
          : []),
        ...(unseen.length > 0 ? [`declared server errors did not happen: ${unseen.join(", ")}`] : []),
      ];
      if (problems.length > 0) throw new Error(problems.join("\n"));
    },
    { auto: true },
  ],
});
