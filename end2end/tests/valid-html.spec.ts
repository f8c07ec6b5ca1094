import { test, expect } from "@playwright/test";
import { spawnSync } from "child_process";
import { mkdirSync, readdirSync, writeFileSync } from "fs";
import { join } from "path";

// Every page the other specs looked at (their screenshots keep its HTML in `html/`),
// checked with the Nu HTML Checker (vnu-jar from npm, on the machine's Java) in one run.
// Pages a signed-out visitor can reach that no spec takes a screenshot of.
const signedOut = {
  "sign-in": "/sign-in",
  "api-docs": "/api/v1/docs",
  "not-found": "/no-such-page",
  "respondent-link-not-found": "/s/AAAAAAAAAAAAAAAAAAAAAAAA",
  "unsubscribe-link-not-found": "/u/AAAAAAAAAAAAAAAAAAAAAAAA",
};

test("every page the specs visited is valid HTML", async ({ request }) => {
  test.setTimeout(180_000);
  mkdirSync("html", { recursive: true });
  for (const [name, path] of Object.entries(signedOut)) {
    const response = await request.get(path);
    expect(response.headers()["content-type"], `${path} is a page`).toMatch(/^text\/html/);
    writeFileSync(join("html", `signed-out-${name}.html`), await response.text());
  }
  const files = readdirSync("html").filter((f) => f.endsWith(".html")).map((f) => join("html", f));
  // Respondent, team and community pages, with JavaScript off and on.
  for (const page of ["07-respondent", "15-unsubscribed", "03-surveys-empty", "19-results", "30-communities"]) {
    for (const project of ["no-js", "js"]) {
      const name = project + (page.startsWith("3") ? "-communities" : "") + `-${page}.html`;
      expect(files, `${name} was kept`).toContain(join("html", name));
    }
  }
  const jar = require.resolve("vnu-jar/build/dist/vnu.jar");
  const run = spawnSync("java", ["-jar", jar, "--format", "json", "--exit-zero-always", ...files], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(run.error, "java runs the Nu HTML Checker").toBeUndefined();
  // The checker writes its report to standard error.
  const report = JSON.parse(run.stderr);
  const errors = (report.messages ?? [])
    .filter((m: any) => m.type === "error" || m.type === "non-document-error")
    .map((m: any) => `${(m.url ?? "").replace(/^.*\/html\//, "")}:${m.lastLine ?? ""} ${m.message} (${m.extract ?? ""})`);
  console.log(`Nu HTML Checker: ${files.length} pages, ${errors.length} errors`);
  expect(errors).toEqual([]);
});
