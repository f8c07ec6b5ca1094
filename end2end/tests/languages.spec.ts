import { test, expect } from "@playwright/test";
import { expectAccessible, hydrated, hydrationDone, shot, signIn, watchForErrors } from "./support";

// A survey in English, German and Arabic: the editor offers the languages and translates
// beside the original on plain pages; a German browser gets the German page, an Arabic
// phone the Arabic page right to left, and a person can switch.
test.describe.configure({ mode: "serial" });

let link = "";
let surveyPath = "";

test("an editor offers German and Arabic and translates the survey", async ({ page }, info) => {
  const noErrors = watchForErrors(page, info);
  await signIn(page, info);
  await hydrated(page, info);
  await page.getByLabel("Title").fill("Saved filters");
  await page.getByRole("button", { name: "Create survey" }).click();
  await expect(page).toHaveURL(/\/surveys\/[0-9a-f-]{36}$/);
  surveyPath = new URL(page.url()).pathname;
  await hydrated(page, info);
  await expect(page.getByRole("region", { name: "Languages" })).toContainText("English");
  await page.getByRole("link", { name: "Offer other languages" }).click();

  await expect(page.getByRole("heading", { name: "Languages", level: 1 })).toBeVisible();
  await page.getByLabel("Written in").selectOption("en");
  await page.getByLabel("German (Deutsch)").check();
  await page.getByLabel("Arabic (العربية)").check();
  await page.getByRole("button", { name: "Save languages" }).click();
  await expect(page.getByText("Languages saved.")).toBeVisible();
  await expect(page.getByRole("row", { name: /German/ })).toContainText("texts missing");
  await shot(page, info, "languages");

  await page.getByRole("row", { name: /German/ }).getByRole("link", { name: "Translate" }).click();
  await expect(page.getByText("Saved filters, into German (Deutsch)")).toBeVisible();
  await page.getByLabel("Title").fill("Gespeicherte Filter");
  await page.getByLabel(/^Question 1\s*(Missing)?$/).fill("Wie zufrieden sind Sie mit den gespeicherten Filtern?");
  await page.getByLabel("Invitation subject").fill("{{ feature }}: Wie funktioniert es für Sie?");
  // A translated email that lost its link is refused, and what was typed stays.
  await page.getByLabel("Invitation text").fill("Hallo {{ name }}, bitte antworten Sie.");
  await page.getByRole("button", { name: "Save translation" }).click();
  // Said at the top and beside the text it is about.
  await expect(page.locator(".field-error", { hasText: "Put {{ survey_link }} in the message" })).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue("Gespeicherte Filter");
  await shot(page, info, "translation-refused");
  await page.getByLabel("Invitation text").fill("Hallo {{ name }},\n\nbitte sagen Sie uns Ihre Meinung:\n\n{{ survey_link }}");
  await page.getByRole("button", { name: "Save translation" }).click();
  await expect(page.getByText("Translation saved.")).toBeVisible();
  await shot(page, info, "translation");

  await page.goto(`${surveyPath}/languages/ar`);
  await page.getByLabel("Title").fill("عوامل التصفية المحفوظة");
  await page.getByLabel(/^Question 1\s*(Missing)?$/).fill("ما مدى رضاك عن عوامل التصفية المحفوظة؟");
  await page.getByRole("button", { name: "Save translation" }).click();
  await expect(page.getByText("Translation saved.")).toBeVisible();

  await page.goto(surveyPath);
  await hydrated(page, info);
  await expect(page.getByRole("region", { name: "Languages" })).toContainText("German (Deutsch)");
  await page.getByRole("button", { name: "Open survey" }).click();
  await expect(page.getByRole("button", { name: "Close survey" })).toBeVisible();
  await page.getByLabel("Or paste addresses").fill("lena@example.org");
  await page.getByRole("button", { name: "Add recipients and show their links" }).click();
  link = (await page.locator("a.personal-link").first().getAttribute("href")) ?? "";
  expect(link).toMatch(/\/s\/[A-Za-z0-9_-]{24}$/);
  noErrors();
});

test("a German browser gets the German page, and can switch", async ({ browser, baseURL }, info) => {
  const context = await browser.newContext({ locale: "de-DE", javaScriptEnabled: info.project.use.javaScriptEnabled });
  const page = await context.newPage();
  await page.goto(new URL(link, baseURL).toString());
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Gespeicherte Filter");
  await expect(page.getByRole("group", { name: "Wie zufrieden sind Sie mit den gespeicherten Filtern?" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Antworten senden" })).toBeVisible();
  await expect(page.getByText("Sehr zufrieden")).toBeVisible();
  await shot(page, info, "respondent-german");
  // Sent empty: the problem in German, nothing lost.
  await page.getByRole("button", { name: "Antworten senden" }).click();
  await expect(page.getByText("Bitte prüfen Sie Ihre Antworten")).toBeVisible();
  await shot(page, info, "respondent-german-error");
  await page.getByRole("navigation", { name: "Sprache" }).getByRole("link", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Saved filters");
  await context.close();
});

test("an Arabic phone gets the page right to left and answers in it", async ({ browser, baseURL }, info) => {
  const context = await browser.newContext({
    locale: "ar",
    javaScriptEnabled: info.project.use.javaScriptEnabled,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  await page.goto(new URL(link, baseURL).toString());
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("عوامل التصفية المحفوظة");
  await shot(page, info, "respondent-arabic-phone");
  await page.getByText("راضٍ جدًا").click();
  await page.getByRole("button", { name: "أرسل إجاباتي" }).click();
  await expect(page.getByText("شكرًا لك! تم حفظ إجاباتك.")).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "ar");
  await shot(page, info, "respondent-arabic-saved");
  await context.close();
});

test("the Build step lists the languages and the results read answers per language", async ({ page }, info) => {
  await signIn(page, info);
  await page.goto(`${surveyPath}/build`);
  await hydrated(page, info);
  const card = page.getByRole("region", { name: "Languages" });
  await expect(card).toContainText("German (Deutsch): 4 texts missing");
  await card.screenshot({ path: `screenshots/${info.project.name}-build-languages-card.png` });
  await page.goto(`${surveyPath}/results`);
  await hydrated(page, info);
  const byLanguage = page.getByRole("region", { name: "By language" });
  // One answer, in Arabic: below the small-group minimum, so hidden.
  await expect(byLanguage.getByRole("row", { name: /Arabic/ })).toContainText("hidden");
  await byLanguage.screenshot({ path: `screenshots/${info.project.name}-results-by-language.png` });
});

test("the languages pages and the German and Arabic pages pass an automated accessibility check", async ({ browser, baseURL }, info) => {
  // axe is injected as a script, which the pages' CSP rightly refuses; these contexts
  // alone bypass it.
  const team = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
  const page = await team.newPage();
  await signIn(page, info);
  await hydrationDone(page);
  await page.goto(`${surveyPath}/languages`);
  await expectAccessible(page, "the languages page");
  await page.goto(`${surveyPath}/languages/de`);
  await expectAccessible(page, "the translation page");
  await team.close();
  for (const locale of ["de-DE", "ar"]) {
    const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true, locale });
    const respondent = await context.newPage();
    await respondent.goto(new URL(link, baseURL).toString());
    await expect(respondent.locator("html")).toHaveAttribute("lang", locale.slice(0, 2));
    await expectAccessible(respondent, `the respondent page in ${locale}`);
    await context.close();
  }
});
