import { test, expect } from "@playwright/test";
import { expectAccessible, hydrationDone, shot, signIn } from "./support";

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
