// The WASM and JS a phone downloads to bring each team page to life when it is the first
// page opened: every script and WASM file the page fetched until it was hydrated, counted
// as sent over the wire (brotli). Measured in Debian's Chromium, signed in as the given user
// of a running server, so it counts what the browser really asked for: the bundle's JS
// and WASM, and on a split build (bench/spikes/page-areas.patch) the split loader and the
// pieces of the page's area as well.
// Usage: node bench/first_page_wasm.mjs BASE_URL EMAIL PASSWORD 'path path ...'
// (run from the repository; Playwright comes from end2end/node_modules).
import { signedInBrowser } from "./signed_in_browser.cjs";

const [base, email, password, paths] = process.argv.slice(2);
if (!paths) {
  console.error("Usage: node bench/first_page_wasm.mjs BASE_URL EMAIL PASSWORD 'path path ...'");
  process.exit(2);
}
const { browser, storageState } = await signedInBrowser(base, email, password);

const rows = [];
for (const path of paths.split(/\s+/).filter(Boolean)) {
  // A fresh context a page: nothing cached, as on a first visit.
  const context = await browser.newContext({ storageState });
  const page = await context.newPage();
  const fetched = [];
  page.on("requestfinished", async (request) => {
    const url = new URL(request.url());
    if (!/\.(wasm|js)$/.test(url.pathname)) return;
    const sizes = await request.sizes();
    const response = await request.response();
    fetched.push({
      name: url.pathname.split("/").pop(),
      bytes: sizes.responseBodySize,
      encoding: (await response?.headerValue("content-encoding")) ?? "identity",
    });
  });
  await page.goto(base + path);
  await page.waitForFunction(() => window.__SOUNDINGS_HYDRATED === true, null, { timeout: 30000 });
  // Let any piece requested during hydration finish being counted.
  await page.waitForLoadState("networkidle");
  const total = fetched.reduce((sum, f) => sum + f.bytes, 0);
  const unencoded = fetched.filter((f) => f.encoding !== "br").map((f) => f.name);
  rows.push({ path, total, files: fetched.length, unencoded });
  await context.close();
}
await browser.close();
for (const { path, total, files, unencoded } of rows.sort((a, b) => b.total - a.total)) {
  const note = unencoded.length ? ` (not brotli: ${unencoded.join(", ")})` : "";
  console.log(`${path.padEnd(34)} ${total.toLocaleString("en").padStart(9)} B in ${files} files${note}`);
}
