import { test, expect, Page, TestInfo } from "@playwright/test";
import { admin, expectAccessible, hydrated, keepHtml, shot, signIn, watchForErrors } from "./support";

// The first end-to-end slice, run once without JavaScript and once hydrated: set up the
// first admin, sign in, create a survey, invite, answer through the personal link, and
// see the count. Each project has its own server, so the steps share one fresh database.
test.describe.configure({ mode: "serial" });

let personalLink = "";
let secondLink = "";
let freshLink = "";

/// Goes to one of the survey page's steps (Build, Send, Watch) by its link.
async function step(page: Page, name: "Build" | "Send" | "Watch") {
  await page.getByRole("navigation", { name: "Survey steps" }).getByRole("link", { name }).click();
  await expect(page).toHaveURL(new RegExp(`/surveys/[0-9a-f-]{36}/${name.toLowerCase()}`));
}


test("the first visit sets up an admin account", async ({ page }, info) => {
  const noErrors = watchForErrors(page, info);
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await hydrated(page, info);
  await shot(page, info, "01-setup");
  await page.getByLabel("Your work email").fill(admin.email);
  await page.getByLabel("Password", { exact: true }).fill("too short");
  await page.getByLabel("Type the password again").fill("too short");
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.getByText("Use at least 12 characters")).toBeVisible();
  await shot(page, info, "02-setup-error");
  await page.getByLabel("Your work email").fill(admin.email);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.getByLabel("Type the password again").fill(admin.password);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page).toHaveURL(/\/surveys$/);
  await expect(page.getByText("No surveys yet")).toBeVisible();
  await shot(page, info, "03-surveys-empty");
  noErrors();
});

test("the admin signs out and back in", async ({ page }, info) => {
  const noErrors = watchForErrors(page, info);
  await page.goto("/sign-in");
  await hydrated(page, info);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill("not the right passphrase");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That email and password don't match an account.")).toBeVisible();
  await shot(page, info, "04-sign-in-error");
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/surveys$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  noErrors();
});

test("an editor builds a survey from a template, edits it, opens it and invites two people", async ({ page }, info) => {
  const noErrors = watchForErrors(page, info);
  await signIn(page, info);
  await hydrated(page, info);
  await page.getByLabel("Title").fill("New storage options");
  await expect(page.getByLabel(/Feature release satisfaction/)).toBeChecked();
  await page.getByRole("button", { name: "Create survey" }).click();
  await expect(page).toHaveURL(/\/surveys\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "New storage options" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Questions (3)" })).toBeVisible();
  await hydrated(page, info);
  const card = (n: number) => page.locator(".question-card").nth(n);
  await card(2).getByLabel("Question", { exact: true }).fill("Anything else about storage?");
  await card(2).getByRole("button", { name: "Save question" }).click();
  await expect(card(2).getByLabel("Question", { exact: true })).toHaveValue("Anything else about storage?");
  await card(2).getByRole("button", { name: "Move up" }).click();
  await expect(card(1).getByLabel("Question", { exact: true })).toHaveValue("Anything else about storage?");
  await expect(card(2).getByLabel("Question", { exact: true })).toHaveValue("What would make it better?");
  await page.getByLabel("Add a question").selectOption("nps");
  await page.getByRole("button", { name: "Add question" }).click();
  await expect(page.getByRole("heading", { name: "Questions (4)" })).toBeVisible();
  await card(3).getByRole("button", { name: /Remove/ }).click();
  await expect(page.getByRole("heading", { name: "Questions (3)" })).toBeVisible();
  await card(0).getByLabel("Question", { exact: true }).fill("");
  await card(0).getByRole("button", { name: "Save question" }).click();
  await expect(card(0).getByText("Write the question.")).toBeVisible();
  await shot(page, info, "05a-builder");
  await page.goto(page.url());
  await hydrated(page, info);
  await page.getByRole("button", { name: "Open survey" }).click();
  await expect(page.getByText("Open", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Close survey" })).toBeVisible();
  await shot(page, info, "05-survey-open");
  await page.getByLabel("Or paste addresses").fill("ada@example.org\ngrace@example.org");
  await page.getByRole("button", { name: "Add recipients and show their links" }).click();
  await expect(page.getByRole("heading", { name: "Personal links" })).toBeVisible();
  const links = page.locator("a.personal-link");
  await expect(links).toHaveCount(2);
  personalLink = (await links.first().getAttribute("href")) ?? "";
  secondLink = (await links.nth(1).getAttribute("href")) ?? "";
  expect(personalLink).toMatch(/\/s\/[A-Za-z0-9_-]{24}$/);
  await shot(page, info, "06-links");
  noErrors();
});

test("a recipient answers through their personal link without signing in", async ({ browser }, info) => {
  const context = await browser.newContext({ javaScriptEnabled: info.project.name === "js" });
  const page = await context.newPage();
  const scripts: string[] = [];
  page.on("request", (r) => r.resourceType() === "script" && scripts.push(r.url()));
  await page.goto(personalLink);
  await expect(page.getByRole("heading", { name: "New storage options" })).toBeVisible();
  await shot(page, info, "07-respondent");
  await page.getByRole("button", { name: "Send my answers" }).click();
  await expect(page.getByText("Please check your answers")).toBeVisible();
  await shot(page, info, "08-respondent-error");
  const question = page.getByRole("group", { name: "How satisfied are you with this feature?" });
  await question.getByRole("radio", { name: "4 Satisfied", exact: true }).check();
  if (info.project.name === "js") {
    await expect(page.getByText("Your answers so far are saved.")).toBeVisible();
  }
  await page.getByRole("button", { name: "Send my answers" }).click();
  await expect(page.getByText("Thank you! Your answers are saved.")).toBeVisible();
  await expect(page.getByRole("radio", { name: "4 Satisfied", exact: true })).toBeChecked();
  await shot(page, info, "09-respondent-saved");
  await page.getByRole("radio", { name: "5 Very satisfied" }).check();
  await page.getByRole("button", { name: "Update my answers" }).click();
  await expect(page.getByRole("radio", { name: "5 Very satisfied" })).toBeChecked();
  await keepHtml(page, info, "respondent-saved");
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, info, "09b-respondent-phone");
  const allowed = info.project.name === "js" ? [/\/respond\.js$/] : [];
  expect(scripts.every((url) => allowed.some((re) => re.test(url))), `only the autosave script: ${scripts}`).toBe(true);
  expect(scripts.length > 0, "the autosave script loads exactly when JavaScript runs").toBe(info.project.name === "js");
  await context.close();
});

test("the survey page counts the invitations and the completed response", async ({ page }, info) => {
  const noErrors = watchForErrors(page, info);
  await signIn(page, info);
  await page.getByRole("link", { name: "New storage options" }).click();
  await expect(page.getByTestId("invited-count")).toHaveText("2");
  await expect(page.getByTestId("completed-count")).toHaveText("1");
  await expect(page.getByText("Completed", { exact: false }).first()).toBeVisible();
  await shot(page, info, "10-survey-counts");
  // The sending window is the Send step's: saved on its own, it reads back as stored.
  await step(page, "Send");
  await hydrated(page, info);
  await expect(page.getByTestId("sending-window")).toHaveText("The team's default: any time.");
  await page.getByLabel("Sending window", { exact: true }).fill("Any Time");
  await page.getByRole("button", { name: "Save window" }).click();
  await expect(page.getByTestId("sending-window")).toHaveText("This survey's own: any time.");
  await page.goto("/team");
  await expect(page.getByRole("heading", { name: "Team", exact: true })).toBeVisible();
  await shot(page, info, "11-team");
  await page.getByRole("link", { name: "Mail delivery" }).click();
  await expect(page.getByRole("heading", { name: "DNS records" })).toBeVisible();
  await expect(page.getByText("Messages are not DKIM-signed")).toBeVisible();
  await shot(page, info, "11-mail-delivery");
  noErrors();
});

test("the invitations go out to the development mailbox and the ledger follows each step", async ({ page, browser }, info) => {
  // The longest step (import, send, mailbox, answer, unsubscribe) on a busy 2-core machine.
  test.setTimeout(90_000);
  const noErrors = watchForErrors(page, info);
  await signIn(page, info);
  // The two recipients become contacts of a community, with their names, by import.
  await page.getByRole("link", { name: "Contacts" }).click();
  await expect(page.getByRole("heading", { name: "Communities (0)" })).toBeVisible();
  await hydrated(page, info);
  await page.getByLabel("Name", { exact: true }).fill("Analytical Engines");
  await page.getByLabel("Tier", { exact: true }).selectOption({ label: "Enterprise" });
  await page.getByRole("button", { name: "Add community" }).click();
  await expect(page.getByRole("heading", { name: "Communities (1)" })).toBeVisible();
  await page.getByLabel("Tier name").fill("Partner");
  await page.getByRole("button", { name: "Save tier" }).click();
  await expect(page.getByRole("heading", { name: "Membership tiers (4)" })).toBeVisible();
  await shot(page, info, "11a-tiers");
  await page.getByRole("link", { name: "Import a CSV file" }).click();
  const csv = "email,name,community,tags\nada@example.org,Ada Lovelace,analytical engines,beta\ngrace@example.org,Grace Hopper,Analytical Engines,\n";
  await page.getByLabel("File").setInputFiles({ name: "contacts.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Preview the import" }).click();
  await expect(page.getByTestId("import-summary")).toContainText("0 to create, 2 to update");
  await shot(page, info, "11b-import-preview");
  await page.getByRole("button", { name: /^Apply/ }).click();
  await expect(page.getByTestId("import-result")).toHaveText("Imported: 0 created, 2 updated, 0 unchanged.");
  await page.getByRole("link", { name: "See the contacts" }).click();
  await expect(page.getByRole("cell", { name: "Ada Lovelace" })).toBeVisible();
  await shot(page, info, "11c-contacts");
  await page.goto("/surveys");
  await page.getByRole("link", { name: "New storage options" }).click();
  await step(page, "Send");
  await page.getByRole("button", { name: "Send invitations to 2 people" }).click();
  // Right after sending, the page may come back while the outbox still holds one or both.
  await expect(page.getByText(/Everyone invited has been sent their invitation\.|(2 invitations are|1 invitation is) waiting to leave/)).toBeVisible();
  await expect(page.getByRole("button", { name: /Send invitations to/ })).toHaveCount(0);
  await page.getByRole("link", { name: /Mailbox/ }).click();
  await expect(page.getByText("Development mode")).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("link", { name: "New storage options: how is it working for you?" })).toHaveCount(2);
  }).toPass({ timeout: 15_000 });
  await shot(page, info, "12-mailbox");
  await page.getByRole("row", { name: /ada@example.org/ }).getByRole("link").click();
  const text = (await page.getByTestId("mail-text").textContent()) ?? "";
  expect(text).toContain("Hello Ada Lovelace,");
  await shot(page, info, "13-mail");
  const oneClick = text.match(/2 \(Unsatisfied\): (\S+)/)?.[1] ?? "";
  const unsubscribe = text.match(/Unsubscribe from these surveys: (\S+)/)?.[1] ?? "";
  expect(oneClick).toContain("?answer=2");
  expect(unsubscribe).toMatch(/\/u\/[A-Za-z0-9_-]{24}$/);

  const person = await browser.newContext({ javaScriptEnabled: info.project.name === "js" });
  const inbox = await person.newPage();
  await inbox.goto(oneClick);
  await expect(inbox.getByText("Your answer is selected below.")).toBeVisible();
  await expect(inbox.getByRole("radio", { name: "2 Unsatisfied" })).toBeChecked();
  await shot(inbox, info, "14-one-click");
  await inbox.getByRole("button", { name: "Update my answers" }).click();
  await expect(inbox.getByText("Thank you! Your answers are saved.")).toBeVisible();
  await inbox.goto(unsubscribe);
  await expect(inbox.getByRole("heading", { name: "Stop getting surveys?" })).toBeVisible();
  await keepHtml(inbox, info, "unsubscribe");
  await inbox.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(inbox.getByRole("heading", { name: "You are unsubscribed" })).toBeVisible();
  await shot(inbox, info, "15-unsubscribed");
  await person.close();

  await page.goto("/surveys");
  await page.getByRole("link", { name: "New storage options" }).click();
  await expect(page.getByTestId("sent-count")).toHaveText("2");
  await expect(page.getByTestId("opened-count")).toHaveText("1");
  await expect(page.getByTestId("completed-count")).toHaveText("1");
  await expect(page.getByTestId("unsubscribed-count")).toHaveText("1");
  await expect(page.getByRole("navigation", { name: "Recipients by status" })).toBeVisible();
  await shot(page, info, "16-survey-ledger");
  await step(page, "Send");
  await page.getByRole("heading", { name: "Invitation email" }).click();
  await expect(page.getByTestId("invitation-preview-subject")).toHaveText("New storage options: how is it working for you?");
  await page.getByRole("button", { name: "Send a test to me" }).first().click();
  await expect(page.getByText("A test is on its way to admin@example.org.")).toBeVisible();
  await shot(page, info, "17-email-wording");
  await page.getByRole("link", { name: "Choose from your contacts" }).click();
  await expect(page.getByRole("heading", { name: "Choose recipients" })).toBeVisible();
  await expect(page.getByTestId("to-invite")).toHaveText("0 people to invite");
  await shot(page, info, "18-choose-recipients");
  await page.goto("/surveys");
  await page.getByRole("link", { name: "New storage options" }).click();
  await page.getByRole("link", { name: "See the results" }).click();
  // Two delivered, one completed: 50%; one answer is far from ±10 points.
  await expect(page.getByTestId("response-rate")).toHaveText("50.0%");
  await expect(page.getByTestId("verdict").first()).toContainText("Not");
  await shot(page, info, "19-results");
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, info, "19b-results-phone");
  await page.setViewportSize({ width: 1280, height: 720 });
  // Grace answers while the team watches: live with JavaScript, after a reload without.
  await hydrated(page, info);
  const grace = await browser.newContext({ javaScriptEnabled: false });
  const answer = await grace.newPage();
  await answer.goto(secondLink);
  await answer.getByRole("radio", { name: "5 Very satisfied" }).check();
  await answer.getByRole("button", { name: "Send my answers" }).click();
  await expect(answer.getByText("Thank you! Your answers are saved.")).toBeVisible();
  await grace.close();
  if (info.project.name === "no-js") await page.reload();
  await expect(page.getByTestId("response-rate")).toHaveText("100.0%", { timeout: 15_000 });
  await shot(page, info, "19c-results-after-an-answer");
  // A third person, invited by hand, for the accessibility check's unanswered page.
  await page.getByRole("link", { name: "New storage options" }).first().click();
  await step(page, "Send");
  await page.getByLabel("Or paste addresses").fill("linus@example.org");
  await page.getByRole("button", { name: "Add recipients and show their links" }).click();
  freshLink = (await page.locator("a.personal-link").first().getAttribute("href")) ?? "";
  expect(freshLink).toMatch(/\/s\/[A-Za-z0-9_-]{24}$/);
  await page.goto("/overview");
  await expect(page.getByRole("heading", { name: "Open surveys (1)" })).toBeVisible();
  await expect(page.getByTestId("open-survey")).toContainText("100.0%");
  await shot(page, info, "20-overview");
  noErrors();
});

test("an admin creates an API token and sees its secret once", async ({ page }, info) => {
  const noErrors = watchForErrors(page, info);
  await signIn(page, info);
  await page.goto("/team");
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { name: "API tokens", exact: true })).toBeVisible();
  await hydrated(page, info);
  await page.getByLabel("Name").fill("Release pipeline");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-token")).toHaveText(/^snd_[A-Za-z0-9_-]{43}$/);
  await shot(page, info, "21-new-token");
  await page.getByRole("link", { name: "Back to the API tokens" }).click();
  await expect(page.getByRole("cell", { name: "Release pipeline" })).toBeVisible();
  await shot(page, info, "22-api-tokens");
  noErrors();
});

test("an admin registers a webhook: a private address is refused, then allowed, and the log shows a test delivery", async ({ page }, info) => {
  const noErrors = watchForErrors(page, info);
  await signIn(page, info);
  await page.goto("/team");
  await page.getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { name: "No endpoints yet" })).toBeVisible();
  await hydrated(page, info);
  await page.getByLabel("Name", { exact: true }).fill("CRM");
  await page.getByLabel("Address", { exact: true }).fill("https://127.0.0.1/hook");
  await page.getByRole("button", { name: "Register endpoint" }).click();
  await expect(page.getByText("127.0.0.1 is a loopback, private or link-local address")).toBeVisible();
  await shot(page, info, "23-webhook-refused");
  // The app's own health check stands in for an internal service: it answers POST with 405.
  const port = new URL(page.url()).port;
  await page.getByLabel("Name", { exact: true }).fill("CRM");
  await page.getByLabel("Address", { exact: true }).fill(`http://127.0.0.1:${port}/healthz`);
  await page.getByLabel(/Allow private network addresses/).check();
  await page.getByRole("button", { name: "Register endpoint" }).click();
  await expect(page.getByRole("heading", { name: "CRM" })).toBeVisible();
  await hydrated(page, info);
  await page.getByRole("button", { name: "Send a test delivery" }).click();
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("cell", { name: /answered 405/ })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await page.getByText("Show the signing secret").click();
  await expect(page.locator("code.secret")).toHaveText(/^whsec_[A-Za-z0-9_-]{43}$/);
  await shot(page, info, "24-webhook-log");
  noErrors();
});

test("the survey list, each step of the survey page and the respondent page pass an automated accessibility check", async ({ browser }, info) => {
  // axe is injected as a script, which the pages' CSP rightly refuses; this context alone
  // bypasses it. Both projects check, so hydrated pages are covered too.
  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
  const page = await context.newPage();
  await signIn(page, info);
  await expectAccessible(page, "the survey list");
  await page.goto("/mail-delivery");
  await expect(page.getByRole("heading", { name: "DNS records" })).toBeVisible();
  await expectAccessible(page, "the mail delivery page");
  await page.goto("/surveys");
  await page.getByRole("link", { name: "New storage options" }).click();
  await expect(page.getByRole("heading", { name: "Recipients" })).toBeVisible();
  await expectAccessible(page, "the Watch step");
  await page.getByRole("link", { name: "Not sent 1" }).click();
  await expect(page.getByRole("cell", { name: "linus@example.org" })).toBeVisible();
  await expectAccessible(page, "the Watch step filtered by status");
  await step(page, "Send");
  await expect(page.getByRole("heading", { name: "Invitation email" })).toBeVisible();
  await expectAccessible(page, "the Send step");
  await step(page, "Build");
  await expect(page.getByRole("heading", { name: "Questions (3)" })).toBeVisible();
  await expectAccessible(page, "the builder");
  await page.goto(freshLink);
  await expectAccessible(page, "the respondent page");
  await page.getByRole("button", { name: "Send my answers" }).click();
  await expect(page.getByText("Please check your answers")).toBeVisible();
  await expectAccessible(page, "the respondent page's error state");
  await context.close();
});

test("hydrating a team page adds and removes none of the elements the server sent", async ({ page }, info) => {
  test.skip(info.project.use.javaScriptEnabled === false, "nothing hydrates without JavaScript");
  // Hydration that painted a part of the page again would remove the server's elements or
  // add its own copy of them. Every element removed from the first byte on is recorded, and
  // every element added once the parser is done (the bundle only starts after that).
  await page.addInitScript(() => {
    const changes: string[] = [];
    (window as any).__changes = changes;
    let parsed = false;
    document.addEventListener("DOMContentLoaded", () => (parsed = true));
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of Array.from(record.removedNodes))
          if (node.nodeType === Node.ELEMENT_NODE) changes.push(`removed ${(node as Element).outerHTML.slice(0, 120)}`);
        if (parsed)
          for (const node of Array.from(record.addedNodes))
            if (node.nodeType === Node.ELEMENT_NODE) changes.push(`added ${(node as Element).outerHTML.slice(0, 120)}`);
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const noErrors = watchForErrors(page, info);
  await signIn(page, info);
  await page.getByRole("link", { name: "New storage options" }).click();
  const survey = new URL(page.url()).pathname;
  for (const path of ["/overview", "/surveys", survey, `${survey}/send`, `${survey}/build`, `${survey}/results`, "/communities", "/contacts", "/team", "/webhooks", "/api-tokens"]) {
    await page.goto(path);
    await hydrated(page, info);
    const changes = await page.evaluate(() => (window as any).__changes as string[]);
    expect(changes, `elements hydration changed on ${path}`).toEqual([]);
  }
  noErrors();
});
