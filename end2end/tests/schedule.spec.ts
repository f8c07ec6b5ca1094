import { test, expect } from "@playwright/test";
import { hydrated, shot, signIn, watchForErrors } from "./support";

// A survey about a release is given a closing time a minute or so ahead, answered, and
// left alone: it closes by itself (the server checks every second here), its page says so,
// and the release enters the satisfaction baseline. Once without JavaScript, once hydrated.
test.describe.configure({ mode: "serial" });

/// A time `seconds` from now as the settings form takes it, in the team's time zone (UTC).
function utcInput(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString().slice(0, 16);
}

test("a scheduled survey closes by itself and enters the baseline", async ({ page, browser }, info) => {
  test.setTimeout(180_000);
  const noErrors = watchForErrors(page, info);
  const release = `Timeline ${info.project.name}`;
  await signIn(page, info);
  await hydrated(page, info);
  await page.getByLabel("Title").fill(`About ${release}`);
  await page.getByRole("button", { name: "Create survey" }).click();
  await expect(page).toHaveURL(/\/surveys\/[0-9a-f-]{36}$/);
  const surveyUrl = page.url();
  await hydrated(page, info);

  // A draft's settings are open. The closing time: the next whole minute at least 30 s away.
  await page.getByLabel("Feature release").fill(release);
  await page.getByLabel("Close at").fill(utcInput(90));
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.goto(surveyUrl);
  await hydrated(page, info);
  await page.getByRole("button", { name: "Open survey" }).click();
  await expect(page.getByText(/Closes by itself .*\(UTC\)/)).toBeVisible();
  await shot(page, info, "30-scheduled");

  await page.getByLabel("Or paste addresses").fill("timeline@example.org");
  await page.getByRole("button", { name: "Add recipients and show their links" }).click();
  const link = (await page.locator("a.personal-link").first().getAttribute("href")) ?? "";
  const respondent = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await respondent.goto(link);
  await respondent
    .getByRole("group", { name: "How satisfied are you with this feature?" })
    .getByRole("radio", { name: "5 Very satisfied" })
    .check();
  await respondent.getByRole("button", { name: "Send my answers" }).click();
  await expect(respondent.getByText("Thank you! Your answers are saved.")).toBeVisible();

  // Nobody touches it now: the server closes it at its time.
  await expect(async () => {
    await page.goto(surveyUrl);
    await expect(page.getByText("Closed", { exact: true })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 150_000, intervals: [5_000] });
  await hydrated(page, info);
  await expect(page.getByRole("button", { name: "Reopen survey" })).toBeVisible();
  await shot(page, info, "31-closed-by-itself");

  await page.goto("/overview");
  await hydrated(page, info);
  const row = page.getByRole("row", { name: new RegExp(release) });
  await expect(row).toBeVisible();
  await expect(row).not.toContainText("so far");
  await expect(page.getByTestId("baseline-csat")).not.toContainText("no release");
  await shot(page, info, "32-baseline");
  noErrors();
});
