import { expect, Page, TestInfo } from "@playwright/test";
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";

// Helpers the specs share. Each project has its own server and database (playwright.config.ts).

export const admin = { email: "admin@example.org", password: "a long enough passphrase" };

/// A screenshot to look at, and the page's HTML kept for the Nu HTML Checker.
export async function shot(page: Page, info: TestInfo, name: string) {
  await page.screenshot({ path: `screenshots/${info.project.name}-${name}.png`, fullPage: true });
  await keepHtml(page, info, name);
}

/// With JavaScript on, waits until the WASM bundle has hydrated the page, and fails on
/// any script error (a broken bundle or a blocked script shows up here).
export function watchForErrors(page: Page, info: TestInfo) {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // A refused form answers 4xx on purpose; Chromium logs that, and it is not a script error.
  // Email HTML (the mailbox's messages, the wording preview) is framed in a sandbox
  // without scripts; Playwright's own helper scripts are refused there, as they should be.
  page.on("console", (m) => {
    const text = m.text();
    const sandboxed = text.startsWith("Blocked script execution") && /\/mailbox\/[0-9a-f-]+\/html|\/email-preview\//.test(text);
    if (m.type() === "error" && !text.startsWith("Failed to load resource") && !sandboxed) errors.push(text);
  });
  return () => expect(errors, `script errors in ${info.project.name}`).toEqual([]);
}

export async function hydrated(page: Page, info: TestInfo) {
  if (info.project.use.javaScriptEnabled !== false) await hydrationDone(page);
}

/// Waits until the bundle has hydrated the page (its loader sets the flag), on pages that
/// load it: the loader starts after the first paint, so a page can be complete and idle
/// for a moment before the bundle is even requested.
export async function hydrationDone(page: Page) {
  await page.waitForFunction(
    () => (window as any).__SOUNDINGS_HYDRATED === true || (document.readyState !== "loading" && !document.querySelector('script[type="module"]')),
  );
}

export async function signIn(page: Page, info: TestInfo) {
  await page.goto("/sign-in");
  await hydrated(page, info);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/surveys$/);
}

/// Runs axe-core on the page and fails on any serious or critical WCAG 2.x A/AA violation.
export async function expectAccessible(page: Page, what: string) {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const { violations, passed } = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    const violations = result.violations
      .filter((v: any) => v.impact === "serious" || v.impact === "critical")
      .map((v: any) => `${v.id} (${v.impact}): ${v.nodes.map((n: any) => n.target.join(" ")).join(", ")}`);
    return { violations, passed: result.passes.length };
  });
  expect(passed, `axe evaluated rules on ${what}`).toBeGreaterThan(10);
  expect(violations, `accessibility of ${what}`).toEqual([]);
}

/// Keeps the HTML the server sends for the page's address (as a browser receives it,
/// before any script runs; the request carries the page's cookies) in `html/`, where the
/// `valid-html` project checks every kept page with the Nu HTML Checker at the end.
export async function keepHtml(page: Page, info: TestInfo, name: string) {
  const response = await page.request.get(page.url());
  expect(response.status(), `${name} answers`).toBeLessThan(500);
  // A page reached by a form's POST may answer a GET differently (or not at all).
  const html = (response.headers()["content-type"] ?? "").startsWith("text/html");
  if (response.status() !== 200 || !html) return;
  mkdirSync("html", { recursive: true });
  writeFileSync(join("html", `${info.project.name}-${name}.html`), await response.text());
}
