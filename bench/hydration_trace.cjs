// Where a team page's main thread goes until it is hydrated: opens the page in Debian's
// Chromium at 4x CPU throttling (Lighthouse's mobile slowdown), signed in as the given user,
// records a Chrome trace with CPU samples from the navigation until the bundle says the page
// is hydrated, and prints the renderer's main-thread tasks over 8 ms (with the kinds of work
// inside each), the time tasks over 50 ms block, and the functions the CPU samples found
// busiest. Milliseconds are throttled ones.
// Usage: node bench/hydration_trace.cjs BASE_URL EMAIL PASSWORD PATH [TRACE.json]
// (run from the repository; Playwright comes from end2end/node_modules).
const fs = require("node:fs");
const { signedInBrowser } = require("./signed_in_browser.cjs");

async function record(base, email, password, page_path, out) {
  const { browser, storageState } = await signedInBrowser(base, email, password);
  const context = await browser.newContext({ storageState });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await browser.startTracing(page, {
    path: out,
    categories: ["devtools.timeline", "v8", "v8.wasm", "disabled-by-default-devtools.timeline",
      "disabled-by-default-v8.cpu_profiler"],
  });
  await page.goto(base + page_path);
  await page.waitForFunction(() => window.__SOUNDINGS_HYDRATED === true, null, { timeout: 60000 });
  await page.waitForTimeout(500);
  await browser.stopTracing();
  await browser.close();
}

function report(out) {
  const events = JSON.parse(fs.readFileSync(out)).traceEvents;
  const names = {};
  for (const e of events) if (e.ph === "M" && e.name === "thread_name") names[`${e.pid}:${e.tid}`] = e.args.name;
  // The page's renderer main thread: the busiest thread named CrRendererMain.
  const busy = {};
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph === "X" && e.name === "RunTask" && names[key] === "CrRendererMain") busy[key] = (busy[key] || 0) + e.dur;
  }
  const [thread] = Object.entries(busy).sort((a, b) => b[1] - a[1])[0];
  const [pid, tid] = thread.split(":").map(Number);
  const mine = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === "X");
  const tasks = mine.filter((e) => e.name === "RunTask").sort((a, b) => a.ts - b.ts);
  const start = tasks[0].ts;
  for (const task of tasks.filter((t) => t.dur > 8000)) {
    const kinds = {};
    for (const e of mine) {
      if (e !== task && e.name !== "RunTask" && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur) {
        kinds[e.name] = (kinds[e.name] || 0) + e.dur;
      }
    }
    const top = Object.entries(kinds).sort((a, b) => b[1] - a[1]).slice(0, 6)
      .map(([name, dur]) => `${name} ${(dur / 1000).toFixed(1)}`).join(", ");
    console.log(`+${((task.ts - start) / 1000).toFixed(0)} ms: task of ${(task.dur / 1000).toFixed(1)} ms :: ${top}`);
  }
  const blocking = tasks.filter((t) => t.dur > 50000).reduce((sum, t) => sum + t.dur - 50000, 0);
  console.log(`tasks over 50 ms block ${(blocking / 1000).toFixed(0)} ms in all`);
  // Self time by function from the CPU samples.
  const nodes = new Map();
  const self = new Map();
  for (const e of events) {
    if (e.name !== "ProfileChunk") continue;
    const data = e.args.data.cpuProfile || {};
    for (const node of data.nodes || []) nodes.set(node.id, node);
    const samples = data.samples || [];
    const deltas = e.args.data.timeDeltas || [];
    samples.forEach((id, i) => {
      const frame = nodes.get(id)?.callFrame;
      if (!frame) return;
      const key = `${frame.functionName || "(anonymous)"} ${(frame.url || "").split("/").pop()}`;
      self.set(key, (self.get(key) || 0) + (deltas[i] || 0));
    });
  }
  console.log("busiest functions (self time, ms):");
  for (const [key, us] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`  ${(us / 1000).toFixed(1)} ${key}`);
  }
}

(async () => {
  const [base, email, password, page_path, out = "/tmp/hydration-trace.json"] = process.argv.slice(2);
  if (!page_path) {
    console.error("Usage: node bench/hydration_trace.cjs BASE_URL EMAIL PASSWORD PATH [TRACE.json]");
    process.exit(2);
  }
  await record(base, email, password, page_path, out);
  report(out);
})();
