import { test, expect, Page, TestInfo } from "@playwright/test";
import { hydrated, shot, signIn } from "./support";

// The stored-XSS corpus, checked where the server-side tests cannot look: in Chromium,
// after the WASM bundle has hydrated each page, and after client-side navigation, where
// the page is rendered by the bundle alone. Runs after the journey (playwright.config.ts),
// so the admin exists.
test.describe.configure({ mode: "serial" });

const PAYLOADS = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(2)>',
  "</textarea><script>alert(3)</script>",
  "<svg onload=alert(4)>",
  '<a href="javascript:alert(6)">link</a>',
];
const TITLE = "</title><script>alert(5)</script>";

/// Calls a server function as the signed-in admin and returns its answer's bytes (postcard,
/// the encoding the bundle reads: app/src/ui/wire.rs).
async function call(page: Page, fn: string, form: Record<string, string>) {
  const origin = new URL(page.url()).origin;
  const reply = await page.request.post(`/fn/${fn}`, { form, headers: { origin, accept: "application/x-postcard" } });
  expect(reply.status(), `${fn}: ${await reply.text()}`).toBeLessThan(400);
  return reply.body();
}

/// A postcard-encoded string: its length as a varint, then its UTF-8 bytes.
function postcardString(bytes: Buffer): string {
  let length = 0;
  let at = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[at++];
    length |= (byte & 0x7f) << shift;
    if (byte < 0x80) break;
  }
  return bytes.subarray(at, at + length).toString("utf8");
}

/// Every match of `pattern`'s first group in the page at `path`, as the server renders it.
async function scrape(page: Page, path: string, pattern: RegExp): Promise<string[]> {
  const html = await (await page.request.get(path)).text();
  return Array.from(html.matchAll(pattern), (found) => found[1]);
}

/// Fills every user-controlled field with a payload; returns the survey's id and a personal link.
async function plant(page: Page) {
  const surveyId = postcardString(await call(page, "create_survey", { title: TITLE, template: "blank" }));
  await call(page, "add_question", { survey_id: surveyId, kind: "single_choice" });
  await call(page, "add_question", { survey_id: surveyId, kind: "long_text" });
  const questions = await scrape(page, `/surveys/${surveyId}/build`, /name="question_id" value="([^"]+)"/g);
  const [, choice, text] = Array.from(new Set(questions));
  await call(page, "update_question", {
    survey_id: surveyId, question_id: choice, prompt: PAYLOADS[2], help: PAYLOADS[1], options: PAYLOADS.join("\n"),
  });
  await call(page, "update_question", { survey_id: surveyId, question_id: text, prompt: PAYLOADS[4], help: PAYLOADS[0] });
  await call(page, "update_survey_settings", {
    survey_id: surveyId, title: TITLE, intro: PAYLOADS[2], thank_you: PAYLOADS[3], anonymity: "identified",
    closes_at: "", release_name: PAYLOADS[1], released_on: "",
  });
  const community = `${PAYLOADS[1]} Lakeside`;
  await call(page, "create_community", { name: community, tier_id: "tier-enterprise" });
  await call(page, "save_contact", { email: "mallory@example.org", name: PAYLOADS[0], community, role: PAYLOADS[3], tags: "" });
  await call(page, "create_webhook", { name: PAYLOADS[0], url: "http://127.0.0.1:9/hook", response_completed: "on", allow_private: "on" });
  await call(page, "create_api_token", { name: PAYLOADS[2], role: "viewer", expires_in_days: "" });
  await call(page, "update_email_wording", {
    survey_id: surveyId, kind: "invitation", subject: PAYLOADS[1], body: `Hello {{ name }} ${PAYLOADS[2]}\n\n{{ survey_link }}`,
  });
  await call(page, "send_test_email", { survey_id: surveyId, kind: "invitation" });
  await call(page, "open_survey", { survey_id: surveyId });
  const origin = new URL(page.url()).origin;
  const added = await page.request.post(`/surveys/${surveyId}/recipients`, { form: { emails: "mallory@example.org" }, headers: { origin } });
  const link = /href="[^"]*(\/s\/[A-Za-z0-9_-]{24})"/.exec(await added.text())?.[1] ?? "";
  expect(link, "the recipients page shows a personal link").toMatch(/^\/s\//);
  return { surveyId, link };
}

/// Fails if any payload came alive in the page: a dialog opened, an alert ran, or the DOM
/// holds an element or attribute a payload would have made. Passes a payload shown as text.
async function expectInert(page: Page, what: string, fired: string[]) {
  const live = await page.evaluate(() => {
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll("*"))) {
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name)) found.push(`${el.tagName} ${attr.name}=${attr.value}`);
        if (/^\s*javascript:/i.test(attr.value)) found.push(`${el.tagName} ${attr.name}=${attr.value}`);
      }
    }
    document.querySelectorAll('img[src="x"], svg[onload]').forEach((el) => found.push(el.outerHTML));
    for (const script of Array.from(document.scripts)) {
      if (/^\s*alert\(\d\)\s*$/.test(script.textContent ?? "")) found.push(script.outerHTML);
    }
    return found;
  });
  expect(live, `live markup on ${what}`).toEqual([]);
  expect(fired, `script ran on ${what}`).toEqual([]);
  const text = await page.evaluate(() => document.body.innerText);
  expect(text, `${what} shows a payload as text`).toMatch(/<script>alert\(\d\)<\/script>|<img src=x|<svg onload|javascript:alert/);
}

/// Records any alert a payload manages to call, before the page's own scripts run.
async function trap(page: Page) {
  const fired: string[] = [];
  await page.exposeFunction("__xssFired", (what: string) => fired.push(what));
  await page.addInitScript(() => {
    const report = (what: unknown) => (window as any).__xssFired(String(what));
    window.alert = report;
    window.confirm = (what?: string) => (report(what), false);
    window.prompt = (what?: string) => (report(what), null);
  });
  page.on("dialog", (dialog) => {
    fired.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return fired;
}

async function visit(page: Page, info: TestInfo, path: string, fired: string[]) {
  await page.goto(path);
  await hydrated(page, info);
  await expectInert(page, path, fired);
}

test("the detector sees a payload that does come alive", async ({ page }) => {
  const fired = await trap(page);
  await page.setContent("<main><p>&lt;script&gt;alert(1)&lt;/script&gt;</p></main>");
  await page.evaluate(() => {
    document.querySelector("main")!.insertAdjacentHTML("beforeend", '<img src=x onerror="alert(2)">');
  });
  await expect.poll(() => fired.length).toBe(1);
  await expect(expectInert(page, "a planted page", fired)).rejects.toThrow(/live markup/);
});

test("hostile text in every field stays inert after hydration and client-side navigation", async ({ page }, info) => {
  test.setTimeout(120_000);
  const fired = await trap(page);
  await signIn(page, info);
  await hydrated(page, info);
  const { surveyId, link } = await plant(page);
  const [hookId] = await scrape(page, "/webhooks", /href="\/webhooks\/([0-9a-f-]{36})"/g);
  for (const path of [
    "/surveys", `/surveys/${surveyId}`, `/surveys/${surveyId}/build`, `/surveys/${surveyId}/send`, `/surveys/${surveyId}/preview`, `/surveys/${surveyId}/results`,
    `/surveys/${surveyId}/email-preview/invitation`, "/overview", "/contacts", "/webhooks", `/webhooks/${hookId}`,
    "/api-tokens", "/mailbox",
  ]) {
    await visit(page, info, path, fired);
  }
  await page.goto("/mailbox");
  await hydrated(page, info);
  await page.locator('a[href^="/mailbox/"]').first().click();
  await expect(page).toHaveURL(/\/mailbox\/[0-9a-f-]{36}$/);
  await expectInert(page, "a mail, reached by a client-side link", fired);
  await page.getByRole("link", { name: "Surveys", exact: true }).click();
  await expect(page).toHaveURL(/\/surveys$/);
  // The bundle fetches the list after the address changes; wait for it, as for the contacts.
  await expect(page.getByRole("link", { name: TITLE }).first()).toBeVisible();
  await expectInert(page, "the survey list, rendered by the bundle", fired);
  await page.getByRole("link", { name: TITLE }).first().click();
  await expect(page).toHaveURL(new RegExp(`/surveys/${surveyId}$`));
  await expect(page.getByRole("heading", { name: TITLE })).toBeVisible();
  await expectInert(page, "the survey, rendered by the bundle", fired);
  await page.getByRole("link", { name: "Contacts", exact: true }).click();
  await expect(page).toHaveURL(/\/contacts$/);
  await expect(page.getByText(PAYLOADS[0]).first()).toBeVisible();
  await expectInert(page, "the contacts, rendered by the bundle", fired);
  await page.goto(link);
  await page.getByRole("radio").first().check();
  await page.getByRole("textbox", { name: /javascript:alert/ }).fill(PAYLOADS[2]);
  await page.getByRole("button", { name: "Send my answers" }).click();
  await expect(page.getByRole("textbox", { name: /javascript:alert/ })).toHaveValue(PAYLOADS[2]);
  await expectInert(page, "the respondent page after answering", fired);
  await visit(page, info, `/surveys/${surveyId}/results`, fired);
  await expect(page.getByText(PAYLOADS[2]).first()).toBeVisible();
  await shot(page, info, "30-hostile-results");
});
