import { defineConfig } from "@playwright/test";

// Each project gets its own server and fresh database, so both can set up a first admin.
// bin/test points SOUNDINGS_BIN at the release binary when it tests the release build.
const binary = process.env.SOUNDINGS_BIN ?? "../target/debug/soundings";
const server = (port: number, name: string, extra: Record<string, string> = {}) => ({
  command: `rm -rf ../target/e2e/${name} && exec ${binary}`,
  url: `http://127.0.0.1:${port}/healthz`,
  reuseExistingServer: false,
  timeout: 60_000,
  stdout: "ignore" as const,
  stderr: "pipe" as const,
  env: {
    SOUNDINGS_ADDR: `127.0.0.1:${port}`,
    DATABASE_URL: `sqlite://../target/e2e/${name}/soundings.db`,
    // The release binary serves the site it carries, as it does deployed; the debug build
    // reads the folder `bin/build --debug` wrote.
    ...(process.env.SOUNDINGS_BIN ? {} : { LEPTOS_SITE_ROOT: "../target/site" }),
    RUST_LOG: "warn",
    // The specs check results right after answering; the cache is tested in server/tests.
    RESULTS_CACHE_MILLIS: "0",
    // Mail leaves at once whatever the day and hour the specs run; the window itself is
    // tested in server/tests (schedule.rs) with a clock the test moves.
    DEFAULT_SENDING_WINDOW: "any time",
    // The schedule spec watches a survey close by itself within a minute and a half.
    SCHEDULE_CHECK_SECONDS: "1",
    ...extra,
  },
});

// A real OpenID provider (npm oidc-provider, end2end/oidc/provider.mjs) for the
// single-sign-on server on 3103, with its own login page.
const provider = {
  command: "exec node oidc/provider.mjs 3198 http://127.0.0.1:3103/sign-in/sso/callback",
  url: "http://127.0.0.1:3198/.well-known/openid-configuration",
  reuseExistingServer: false,
  timeout: 30_000,
  stdout: "ignore" as const,
  stderr: "ignore" as const,
};
const sso = {
  OIDC_ISSUER: "http://127.0.0.1:3198",
  OIDC_CLIENT_ID: "soundings",
  OIDC_CLIENT_SECRET: "a test client secret",
  OIDC_NAME: "Corp ID",
  OIDC_ALLOWED_DOMAINS: "corp.example",
};

export default defineConfig({
  testDir: "./tests",
  globalSetup: "./global-setup.ts",
  fullyParallel: false,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? "list" : [["list"]],
  use: {
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "no-js", testIgnore: /xss|schedule|communities|valid-html|in-product|languages|account|sso/, use: { javaScriptEnabled: false, baseURL: "http://127.0.0.1:3101" } },
    { name: "js", testIgnore: /xss|schedule|communities|valid-html|in-product|languages|account|sso/, use: { javaScriptEnabled: true, baseURL: "http://127.0.0.1:3102" } },
    // The hostile-text check needs the admin the journey sets up, on the hydrated server.
    // A survey that closes by itself, after the journey has set up the admin on each server.
    { name: "no-js-schedule", testMatch: /schedule/, dependencies: ["no-js"], use: { javaScriptEnabled: false, baseURL: "http://127.0.0.1:3101" } },
    { name: "js-schedule", testMatch: /schedule/, dependencies: ["js"], use: { javaScriptEnabled: true, baseURL: "http://127.0.0.1:3102" } },
    // Community health, on the journey's community, with and without JavaScript.
    { name: "no-js-communities", testMatch: /communities/, dependencies: ["no-js"], use: { javaScriptEnabled: false, baseURL: "http://127.0.0.1:3101" } },
    { name: "js-communities", testMatch: /communities/, dependencies: ["js"], use: { javaScriptEnabled: true, baseURL: "http://127.0.0.1:3102" } },
    // The survey's panel on a product's page served from another origin (port 3199).
    { name: "js-in-product", testMatch: /in-product/, dependencies: ["js"], use: { javaScriptEnabled: true, baseURL: "http://127.0.0.1:3102" } },
    // A survey in three languages: plain pages, so without JavaScript.
    { name: "no-js-languages", testMatch: /languages/, dependencies: ["no-js"], use: { javaScriptEnabled: false, baseURL: "http://127.0.0.1:3101" } },
    // The member's own account page, after the journey (it signs in as the journey's admin).
    { name: "no-js-account", testMatch: /account/, dependencies: ["no-js"], use: { javaScriptEnabled: false, baseURL: "http://127.0.0.1:3101" } },
    // Single sign-on through the provider's own login page, on a server of its own.
    { name: "js-sso", testMatch: /sso/, use: { javaScriptEnabled: true, baseURL: "http://127.0.0.1:3103" } },
    { name: "js-xss", testMatch: /xss/, dependencies: ["js"], use: { javaScriptEnabled: true, baseURL: "http://127.0.0.1:3102" } },
    // Last: the HTML of every page the specs above looked at, through the Nu HTML Checker.
    { name: "valid-html", testMatch: /valid-html/, dependencies: ["no-js-schedule", "js-schedule", "no-js-communities", "js-communities", "js-in-product", "no-js-languages", "no-js-account", "js-xss"], use: { baseURL: "http://127.0.0.1:3102" } },
  ],
  webServer: [server(3101, "no-js"), server(3102, "js"), provider, server(3103, "sso", sso)],
});
