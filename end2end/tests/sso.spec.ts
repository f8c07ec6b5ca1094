import { test, expect } from "@playwright/test";
import { admin, hydrated, shot } from "./support";

// Single sign-on through a real OpenID provider's own login page (npm oidc-provider on
// port 3198): a colleague at the allowed domain gets an account at their first sign-in;
// an address the provider has not verified is refused with a reason.
test("a colleague signs in through the identity provider's own login page", async ({ page, browser }, info) => {
  await page.goto("/setup");
  await hydrated(page, info);
  await page.getByLabel("Your work email").fill(admin.email);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.getByLabel("Type the password again").fill(admin.password);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page).toHaveURL(/\/surveys$/);

  const context = await browser.newContext();
  const them = await context.newPage();
  await them.goto("/sign-in");
  await hydrated(them, info);
  await expect(them.getByRole("link", { name: "Sign in with Corp ID" })).toBeVisible();
  await shot(them, info, "sso-sign-in");
  await them.getByRole("link", { name: "Sign in with Corp ID" }).click();
  await expect(them).toHaveURL(/127\.0\.0\.1:3198\/interaction\//);
  await them.locator('input[name="login"]').fill("ada@corp.example");
  await them.locator('input[name="password"]').fill("any password");
  // The provider's page is not ours: a screenshot, but no HTML kept for our checker.
  await them.screenshot({ path: `screenshots/${info.project.name}-sso-provider-login.png`, fullPage: true });
  await them.getByRole("button", { name: "Sign-in" }).click();
  await expect(them).toHaveURL(/127\.0\.0\.1:3103\/surveys$/);
  await expect(them.getByRole("link", { name: "ada@corp.example" })).toBeVisible();
  await shot(them, info, "sso-signed-in");
  await context.close();

  const stranger = await browser.newContext();
  const they = await stranger.newPage();
  await they.goto("/sign-in/sso");
  await they.locator('input[name="login"]').fill("unverified@corp.example");
  await they.locator('input[name="password"]').fill("any password");
  await they.getByRole("button", { name: "Sign-in" }).click();
  await expect(they.getByRole("heading", { name: "Not signed in" })).toBeVisible();
  await expect(they.getByRole("alert")).toContainText("has not verified your email address");
  await shot(they, info, "sso-refused");
  await stranger.close();
});
