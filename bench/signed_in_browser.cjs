// Debian's Chromium through the end-to-end specs' Playwright, and the session of a user
// signed in through the sign-in server function, for the bench scripts that open team pages.
const path = require("node:path");
const { chromium } = require(path.join(__dirname, "../end2end/node_modules/playwright"));

// Launches Chromium and signs in; returns the browser and the signed-in storage state, for
// `browser.newContext({ storageState })`.
async function signedInBrowser(base, email, password) {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
  const signIn = await browser.newContext();
  const response = await signIn.request.post(`${base}/fn/sign_in`, {
    form: { email, password },
    headers: { Origin: base },
    maxRedirects: 0,
  });
  if (response.status() >= 400) throw new Error(`sign-in answered ${response.status()}`);
  const storageState = await signIn.storageState();
  await signIn.close();
  return { browser, storageState };
}

module.exports = { signedInBrowser };
