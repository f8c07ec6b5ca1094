import { test, expect, Browser, Page } from "@playwright/test";
import { createHmac } from "crypto";
import { createServer, Server } from "http";
import { hydrated, shot, signIn, watchForErrors } from "./support";

// The survey inside the team's own product: a host page on another origin, with a strict
// Content-Security-Policy that allows nothing but its own and Soundings' origin, embeds the
// panel for its signed-in user (the script tag, then the bare frame), and the answer lands
// in the same ledger as the emailed link's.
test.describe.configure({ mode: "serial" });

const HOST_PORT = 3199;
const HOST = `http://localhost:${HOST_PORT}`;
let soundings = "";
let surveyPath = "";
let key = "";
let secret = "";
let emailedLink = "";
let host: Server;

const sign = (email: string) => createHmac("sha256", secret).update(email).digest("hex");

/// The product's page for `email`: its own header, a button to come back to, and the
/// snippet (the script tag, or with `frame` the bare frame), under a CSP that allows
/// scripts and frames only from Soundings and styles from nowhere.
function productPage(email: string, signature: string, frame: boolean): string {
  const q = new URLSearchParams({ email, signature }).toString();
  const snippet = frame
    ? `<iframe src="${soundings}/w/${key}?${q.replace(/&/g, "&amp;")}" title="Feedback survey" width="380" height="520"></iframe>`
    : `<script src="${soundings}/widget.js" data-survey="${key}" data-email="${email}" data-signature="${signature}" async></script>`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Acme Analytics</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><h1>Acme Analytics</h1><p>Signed in as ${email}</p></header>
<main><h2>Saved reports</h2><p>Quarterly revenue, churn by plan, weekly active teams.</p>
<button type="button" id="save">Save report</button></main>${snippet}</body></html>`;
}

test.beforeAll(async () => {
  host = createServer((request, response) => {
    const url = new URL(request.url ?? "/", HOST);
    const email = url.searchParams.get("email") ?? "";
    const signature = url.searchParams.get("signature") ?? sign(email);
    response.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": `default-src 'none'; script-src ${soundings}; frame-src ${soundings}; style-src 'none'; img-src 'none'`,
    });
    response.end(productPage(email, signature, url.pathname === "/frame"));
  });
  await new Promise<void>((resolve) => host.listen(HOST_PORT, "127.0.0.1", resolve));
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => host.close(() => resolve()));
});

/// A browser of the product's user: no Soundings cookie, and every CSP refusal collected.
async function productUser(browser: Browser, options: { phone?: boolean; bypassCSP?: boolean } = {}) {
  const context = await browser.newContext({
    javaScriptEnabled: true,
    bypassCSP: options.bypassCSP ?? false,
    ...(options.phone ? { viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true } : {}),
  });
  const page = await context.newPage();
  const refused: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) refused.push(m.text());
  });
  return { context, page, refused };
}

const panelOf = (page: Page) => page.frameLocator("iframe[data-soundings-panel]");

test("an editor turns on the panel and gets the snippet and the signing secret", async ({ page, baseURL }, info) => {
  soundings = baseURL ?? "";
  const noErrors = watchForErrors(page, info);
  await signIn(page, info);
  await hydrated(page, info);
  await page.getByLabel("Title").fill("Saved filters");
  await page.getByRole("button", { name: "Create survey" }).click();
  await expect(page).toHaveURL(/\/surveys\/[0-9a-f-]{36}$/);
  surveyPath = new URL(page.url()).pathname;
  await hydrated(page, info);
  await page.getByRole("button", { name: "Open survey" }).click();
  await expect(page.getByRole("button", { name: "Close survey" })).toBeVisible();
  // Maya is also invited by email, so the panel must find her invitation, not make one.
  await page.getByLabel("Or paste addresses").fill("maya@example.org");
  await page.getByRole("button", { name: "Add recipients and show their links" }).click();
  emailedLink = (await page.locator("a.personal-link").first().getAttribute("href")) ?? "";
  expect(emailedLink).toMatch(/\/s\/[A-Za-z0-9_-]{24}$/);

  await page.goto(`${surveyPath}/send`);
  await hydrated(page, info);
  const section = page.getByRole("region", { name: "In your product" });
  await section.getByRole("button", { name: "Show it in your product" }).click();
  await expect(section.getByTestId("in-product-snippet")).toContainText("/widget.js");
  await expect(section.getByText("No origin listed yet.")).toBeVisible();
  await section.getByLabel("Origins that may show the panel").fill(HOST);
  await section.getByRole("button", { name: "Save", exact: true }).click();
  await expect(section.getByText("No origin listed yet.")).toHaveCount(0);
  await expect(section.getByLabel("Origins that may show the panel")).toHaveValue(HOST);
  const snippet = (await section.getByTestId("in-product-snippet").textContent()) ?? "";
  key = /data-survey="([^"]+)"/.exec(snippet)?.[1] ?? "";
  secret = (await section.getByTestId("in-product-secret").textContent()) ?? "";
  expect(key).toMatch(/^[A-Za-z0-9_-]{24}$/);
  expect(secret).toMatch(/^sps_[0-9a-f]{64}$/);
  await section.scrollIntoViewIfNeeded();
  await shot(page, info, "40-in-product-editor");
  noErrors();
});

test("the product's user answers in the panel under the host's strict CSP, and the emailed link shows it", async ({ browser }, info) => {
  const { context, page, refused } = await productUser(browser);
  await page.goto(`${HOST}/?email=maya@example.org`);
  const frame = page.locator("iframe[data-soundings-panel]");
  await expect(frame).toBeVisible();
  const panel = panelOf(page);
  await expect(panel.getByRole("heading", { name: "Saved filters" })).toBeVisible();
  await expect(panel.getByRole("button", { name: "Close this survey for now" })).toBeVisible();
  await page.screenshot({ path: `screenshots/${info.project.name}-41-in-product-panel-desktop.png` });
  await panel.locator('input[type="radio"][value="4"]').first().check();
  await panel.getByLabel("Tell me what you do with this").check();
  await panel.getByRole("button", { name: "Send my answers" }).click();
  await expect(panel.getByText(/Your answers are saved|Thank you/).first()).toBeVisible();
  const cookies = await context.cookies(soundings);
  expect(cookies, "no cookie from Soundings").toEqual([]);
  expect(refused, "the host's CSP refused nothing").toEqual([]);
  await context.close();

  // The same person's emailed link, opened later, shows the answer given in the panel.
  const inbox = await browser.newContext({ javaScriptEnabled: false });
  const mail = await inbox.newPage();
  await mail.goto(`${soundings}${new URL(emailedLink, soundings).pathname}`);
  await expect(mail.locator('input[type="radio"][value="4"]').first()).toBeChecked();
  await expect(mail.getByRole("button", { name: "Update my answers" })).toBeVisible();
  await inbox.close();
});

test("on a phone the panel is a sheet along the bottom; Escape closes it and gives focus back", async ({ browser }, info) => {
  const { context, page, refused } = await productUser(browser, { phone: true });
  await page.goto(`${HOST}/?email=lee@example.org`);
  const frame = page.locator("iframe[data-soundings-panel]");
  await expect(frame).toBeVisible();
  await expect(panelOf(page).getByRole("heading", { name: "Saved filters" })).toBeVisible();
  const box = await frame.boundingBox();
  expect(box && box.width).toBeGreaterThan(360);
  await page.screenshot({ path: `screenshots/${info.project.name}-42-in-product-panel-phone.png` });
  // Keyboard: from the page's own button into the panel, then Escape.
  await page.locator("#save").focus();
  await page.keyboard.press("Tab");
  await expect(panelOf(page).getByRole("button", { name: "Close this survey for now" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(frame).toHaveCount(0);
  await expect(page.locator("#save")).toBeFocused();
  expect(refused).toEqual([]);
  // Closed: not shown again within the snooze.
  await page.reload();
  await page.waitForTimeout(1500);
  await expect(page.locator("iframe[data-soundings-panel]")).toBeHidden();
  await context.close();
});

test("a wrong signature shows nothing and the server records nothing", async ({ browser, page }, info) => {
  const { context, page: product } = await productUser(browser);
  const forged = createHmac("sha256", "not the secret").update("intruder@example.org").digest("hex");
  await product.goto(`${HOST}/?email=intruder@example.org&signature=${forged}`);
  await product.waitForTimeout(1500);
  await expect(product.locator("iframe[data-soundings-panel]")).toBeHidden();
  // Someone else's address with a signature that is not its own.
  await product.goto(`${HOST}/?email=chief@example.org&signature=${sign("intruder@example.org")}`);
  await product.waitForTimeout(1500);
  await expect(product.locator("iframe[data-soundings-panel]")).toBeHidden();
  await context.close();

  await signIn(page, info);
  await page.goto(`${surveyPath}/send`);
  await hydrated(page, info);
  const counts = page.getByRole("region", { name: "In your product" });
  await expect(counts.getByTestId("panel-shown")).toHaveText("2");
  await page.goto("/contacts");
  await expect(page.getByText("intruder@example.org")).toHaveCount(0);
  await expect(page.getByText("chief@example.org")).toHaveCount(0);
});

test("the bare frame works on a page that allows no third-party script", async ({ browser }, info) => {
  const { context, page } = await productUser(browser);
  await page.goto(`${HOST}/frame?email=ines@example.org`);
  const panel = page.frameLocator("iframe");
  await expect(panel.getByRole("heading", { name: "Saved filters" })).toBeVisible();
  await panel.locator('input[type="radio"][value="5"]').first().check();
  await panel.getByRole("button", { name: "Send my answers" }).click();
  await expect(panel.getByText(/Your answers are saved|Thank you/).first()).toBeVisible();
  await page.screenshot({ path: `screenshots/${info.project.name}-43-in-product-frame.png` });
  await context.close();
});

test("the panel on the product's page passes axe-core", async ({ browser }) => {
  const { context, page } = await productUser(browser, { bypassCSP: true });
  await page.goto(`${HOST}/?email=omar@example.org`);
  await expect(panelOf(page).getByRole("heading", { name: "Saved filters" })).toBeVisible();
  const axe = require.resolve("axe-core/axe.min.js");
  for (const frame of page.frames()) await frame.addScriptTag({ path: axe });
  const { violations, passed } = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, {
      iframes: true,
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return {
      violations: result.violations
        .filter((v: any) => v.impact === "serious" || v.impact === "critical")
        .map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(" ")).join(", ")}`),
      passed: result.passes.length,
    };
  });
  expect(passed).toBeGreaterThan(10);
  expect(violations, "accessibility of the panel on the product's page").toEqual([]);
  await context.close();
});

test("the Send step counts who was shown the panel, who closed it and who answered", async ({ page }, info) => {
  await signIn(page, info);
  await page.goto(`${surveyPath}/send`);
  await hydrated(page, info);
  const section = page.getByRole("region", { name: "In your product" });
  await expect(section.getByTestId("panel-shown")).toHaveText("4");
  await expect(section.getByTestId("panel-dismissed")).toHaveText("1");
  await expect(section.getByTestId("panel-completed")).toHaveText("2");
  await expect(section.getByTestId("panel-rate")).toHaveText("50%");
  await page.goto(`${surveyPath}/watch`);
  await hydrated(page, info);
  await expect(page.getByTestId("shown-count")).toHaveText("4");
  await expect(page.getByTestId("completed-count")).toHaveText("2");
});

test("once the survey has closed, the editor tells the people who asked what was heard", async ({ page, browser }, info) => {
  const noErrors = watchForErrors(page, info);
  await signIn(page, info);
  await page.goto(surveyPath);
  await hydrated(page, info);
  await page.getByRole("button", { name: "Close survey" }).click();
  await expect(page.getByRole("button", { name: "Reopen survey" })).toBeVisible();
  await page.goto(`${surveyPath}/watch`);
  await hydrated(page, info);
  const section = page.getByRole("region", { name: "What we heard" });
  await expect(section.getByTestId("closing-lead")).toContainText("1 person asked to hear what you do with their answers");
  await section.getByLabel("Subject").fill("What we heard about saved filters");
  await section.getByLabel("What we heard and what we are doing").fill(
    "Hello {{ name }},\n\nMost of you told us saved filters were hard to find. From next week they sit at the top of every report, and you can share them with your team.\n\nThank you for telling us.",
  );
  await section.getByRole("button", { name: "Save", exact: true }).click();
  await expect(section.getByText("Saved.")).toBeVisible();
  await section.scrollIntoViewIfNeeded();
  await shot(page, info, "44-closing-message");
  await section.getByRole("button", { name: "Send to the 1 person who asked" }).click();
  await expect(page.getByRole("region", { name: "What we heard" }).getByTestId("closing-lead")).toContainText(/^Sent .* to 1 person\. It goes once\.$/);
  await shot(page, info, "45-closing-message-sent");
  noErrors();
  // It reaches Maya (who ticked the box in the panel), and nobody else.
  await expect(async () => {
    await page.goto("/mailbox");
    await expect(page.getByRole("link", { name: "What we heard about saved filters" })).toHaveCount(1);
  }).toPass({ timeout: 15_000 });
  await expect(page.getByRole("row", { name: /What we heard about saved filters/ })).toContainText("maya@example.org");
});
