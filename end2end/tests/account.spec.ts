import { test, expect, Page } from "@playwright/test";
import { expectAccessible, hydrationDone, keepHtml, shot, signIn } from "./support";

// A member's own account page: reached from their address in the top bar; a wrong
// current password is refused beside its field, and nothing changes.
test("a member opens their account from the top bar and a wrong current password changes nothing", async ({ page }, info) => {
  await signIn(page, info);
  await page.getByRole("link", { name: "admin@example.org" }).click();
  await expect(page.getByRole("heading", { name: "Your account", level: 1 })).toBeVisible();
  await shot(page, info, "account");
  await page.getByLabel("Current password").fill("not the password at all");
  await page.getByLabel("New password", { exact: true }).fill("a new long enough phrase");
  await page.getByLabel("New password again").fill("a new long enough phrase");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.locator(".field-error", { hasText: "That is not your current password." })).toBeVisible();
  await shot(page, info, "account-refused");
});

test("the account page passes an automated accessibility check", async ({ browser }, info) => {
  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
  const page = await context.newPage();
  await signIn(page, info);
  await hydrationDone(page);
  await page.goto("/account");
  await expectAccessible(page, "the account page");
  await context.close();
});

/// The link in the newest development-mailbox message with `subject` to `to`, as the
/// signed-in admin's page shows it.
async function mailedLink(page: Page, subject: string, to: string): Promise<string> {
  let link = "";
  await expect(async () => {
    await page.goto("/mailbox");
    const row = page.getByRole("row", { name: new RegExp(to) }).filter({ hasText: subject }).first();
    await row.getByRole("link").click();
    const text = (await page.getByTestId("mail-text").textContent()) ?? "";
    link = text.match(/https?:\/\/\S+\/password\/[A-Za-z0-9_-]+/)?.[0] ?? "";
    expect(link).not.toBe("");
  }).toPass({ timeout: 15_000 });
  return new URL(link).pathname;
}

// An admin invites a colleague, who chooses their own password through the mailed link;
// later the colleague forgets it and resets it from the sign-in page. Without JavaScript:
// every step is a plain form.
test("an invited member chooses their own password, then resets a forgotten one", async ({ page, browser }, info) => {
  const colleague = "grace.team@example.org";
  await signIn(page, info);
  await page.goto("/team");
  await page.getByLabel("Email").fill(colleague);
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("row", { name: new RegExp(colleague) })).toContainText("invited");
  await shot(page, info, "team-invited");
  const invitation = await mailedLink(page, "You're invited to Soundings", colleague);

  const theirs = await browser.newContext({ javaScriptEnabled: false });
  const them = await theirs.newPage();
  await them.goto(invitation);
  await expect(them.getByRole("heading", { name: "Join the team" })).toBeVisible();
  await shot(them, info, "invitation-page");
  await keepHtml(them, info, "invitation-page");
  await them.getByLabel("New password", { exact: true }).fill("grace's own passphrase");
  await them.getByLabel("New password again").fill("grace's own passphrase");
  await them.getByRole("button", { name: "Choose password and sign in" }).click();
  await expect(them).toHaveURL(/\/surveys$/);
  await expect(them.getByRole("link", { name: colleague })).toBeVisible();
  // The same link a second time leads nowhere.
  await them.goto(invitation);
  await expect(them.getByRole("heading", { name: "This link doesn't work" })).toBeVisible();
  await expect(them.getByText("This link was used already")).toBeVisible();
  await shot(them, info, "invitation-used");
  await theirs.close();

  const forgetful = await browser.newContext({ javaScriptEnabled: false });
  const they = await forgetful.newPage();
  await they.goto("/sign-in");
  await they.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(they.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
  await keepHtml(they, info, "forgot-password");
  await they.getByLabel("Email").fill(colleague);
  await they.getByRole("button", { name: "Send the link" }).click();
  await expect(they.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await shot(they, info, "reset-asked");
  const reset = await mailedLink(page, "Reset your Soundings password", colleague);
  await they.goto(reset);
  await expect(they.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await they.getByLabel("New password", { exact: true }).fill("grace's second passphrase");
  await they.getByLabel("New password again").fill("a different phrase entirely");
  await they.getByRole("button", { name: "Set new password and sign in" }).click();
  await expect(they.locator(".field-error", { hasText: "The two passwords are not the same." })).toBeVisible();
  await shot(they, info, "reset-mismatch");
  await they.getByLabel("New password", { exact: true }).fill("grace's second passphrase");
  await they.getByLabel("New password again").fill("grace's second passphrase");
  await they.getByRole("button", { name: "Set new password and sign in" }).click();
  await expect(they).toHaveURL(/\/surveys$/);
  await forgetful.close();
});

test("the forgotten-password and invitation pages pass an automated accessibility check", async ({ browser }) => {
  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
  const page = await context.newPage();
  await page.goto("/forgot-password");
  await expectAccessible(page, "the forgotten-password page");
  await page.getByLabel("Email").fill("not an address");
  await page.evaluate(() => document.querySelector("form")?.setAttribute("novalidate", ""));
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.locator(".field-error")).toBeVisible();
  await expectAccessible(page, "the forgotten-password page with an error");
  await context.close();
});

// The journey before this spec made, opened and sent surveys: the audit log lists them,
// narrows to one action, and passes an accessibility check.
test("an admin reads the audit log and narrows it to one action", async ({ page }, info) => {
  await signIn(page, info);
  await page.goto("/team");
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Survey opened" }).first()).toBeVisible();
  await shot(page, info, "audit-log");
  await keepHtml(page, info, "audit-log");
  await page.getByLabel("What").selectOption({ label: "Survey opened" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/action=survey\.opened/);
  const actions = await page.locator("tbody tr td:nth-child(3)").allTextContents();
  expect(actions.length).toBeGreaterThan(0);
  expect(new Set(actions)).toEqual(new Set(["Survey opened"]));
  await shot(page, info, "audit-log-filtered");
  await page.getByLabel("From").fill("2099-01-01");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByText("No entry matches these filters")).toBeVisible();
  await shot(page, info, "audit-log-empty");
  const download = await page.request.get("/audit.csv?action=survey.opened");
  expect(download.status()).toBe(200);
  expect((await download.text()).split("\n")[0]).toContain("at_utc,at_local,actor_kind");
});

test("the audit log passes an automated accessibility check", async ({ browser }, info) => {
  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
  const page = await context.newPage();
  await signIn(page, info);
  await hydrationDone(page);
  await page.goto("/audit");
  await expectAccessible(page, "the audit log");
  await context.close();
});
