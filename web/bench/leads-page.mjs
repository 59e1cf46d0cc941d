// Measures the leads page in Debian's Chromium against a running server (bench/dashboard.sh):
//   - navigation: from the overview, a click on "Leads" until the first row is drawn;
//   - cold load: a new tab opening /leads until the first row is drawn (scripts, fonts,
//     session refresh and the first page of leads);
//   - baseline: the same first page of leads fetched by the page's own code (fetch + JSON),
//     which is the floor the rendering sits on;
//   - scrolling: frame intervals while scrolling 20,000 rows down, and the rows in the DOM.
// Prints one JSON object.
import { chromium } from "playwright-core";

const url = process.env.VAARTA_URL;
const email = process.env.VAARTA_EMAIL;
const password = process.env.VAARTA_PASSWORD;
const runs = Number(process.env.RUNS ?? 10);

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage"] });
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
await page.goto(`${url}/login`);
await page.getByRole("textbox", { name: "E-mail" }).fill(email);
await page.locator("input[autocomplete=current-password]").fill(password);
await page.getByRole("button", { name: "Sign in" }).click();
await page.getByTestId("whoami").waitFor();

const nav = [];
const api = [];
for (let i = 0; i < runs; i++) {
  await page.getByRole("link", { name: "Overview" }).click();
  await page.getByTestId("stat-placed").waitFor();
  const started = Date.now();
  await page.getByRole("link", { name: "Leads" }).click();
  await page.getByTestId("lead-row").first().waitFor();
  nav.push(Date.now() - started);
  // The same request the page makes, timed inside the page.
  api.push(
    await page.evaluate(async () => {
      const refresh = sessionStorage.getItem("vaarta.refresh");
      const tokens = await (await fetch("/api/v1/auth/refresh", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: refresh }),
      })).json();
      sessionStorage.setItem("vaarta.refresh", tokens.refresh_token);
      const t0 = performance.now();
      const r = await fetch("/api/v1/leads?limit=200", { headers: { Authorization: `Bearer ${tokens.access_token}` } });
      await r.json();
      return performance.now() - t0;
    }),
  );
}

const cold = [];
for (let i = 0; i < runs; i++) {
  const refresh = await page.evaluate(() => sessionStorage.getItem("vaarta.refresh"));
  const tab = await context.newPage();
  await tab.addInitScript((token) => sessionStorage.setItem("vaarta.refresh", token), refresh);
  const started = Date.now();
  await tab.goto(`${url}/leads`);
  await tab.getByTestId("lead-row").first().waitFor();
  cold.push(Date.now() - started);
  // The page rotated the refresh token; carry the new one back.
  const rotated = await tab.evaluate(() => sessionStorage.getItem("vaarta.refresh"));
  await page.evaluate((token) => sessionStorage.setItem("vaarta.refresh", token), rotated);
  await tab.close();
}

// Scrolling: to the bottom of what is loaded, again and again, until 20,000 rows have
// been loaded (100 pages); frame intervals are recorded by requestAnimationFrame throughout.
await page.getByRole("link", { name: "Overview" }).click();
await page.getByRole("link", { name: "Leads" }).click();
await page.getByTestId("lead-row").first().waitFor();
await page.evaluate(() => {
  window.__frames = [];
  let last = performance.now();
  const tick = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (!window.__stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
});
const loadedRows = () => page.getByTestId("leads-loaded").evaluate((el) => parseInt(el.textContent.replace(/[^0-9]/g, ""), 10));
const scroller = page.getByTestId("leads-scroller");
const scrollStart = Date.now();
const target = Number(process.env.SCROLL_ROWS ?? 20000);
let rowsNow = await loadedRows();
while (rowsNow < target) {
  await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.waitForFunction(
    (before) => parseInt(document.querySelector("[data-testid=leads-loaded]").textContent.replace(/[^0-9]/g, ""), 10) > before,
    rowsNow,
    { timeout: 30_000 },
  );
  rowsNow = await loadedRows();
}
const scrollMs = Date.now() - scrollStart;
const frames = await page.evaluate(() => {
  window.__stop = true;
  return window.__frames.slice(1);
});
const domRows = await page.locator("[data-testid=lead-row]").count();
const loaded = await page.getByTestId("leads-loaded").textContent();
await browser.close();

console.log(
  JSON.stringify({
    runs,
    navigate_first_row_ms: { p50: pct(nav, 50), p95: pct(nav, 95), max: Math.max(...nav) },
    cold_first_row_ms: { p50: pct(cold, 50), p95: pct(cold, 95), max: Math.max(...cold) },
    api_first_page_ms: { p50: Math.round(pct(api, 50)), p95: Math.round(pct(api, 95)) },
    scroll: {
      rows_scrolled: rowsNow,
      seconds: scrollMs / 1000,
      frame_ms_p50: Math.round(pct(frames, 50) * 10) / 10,
      frame_ms_p95: Math.round(pct(frames, 95) * 10) / 10,
      frame_ms_max: Math.round(Math.max(...frames) * 10) / 10,
      rows_in_dom: domRows,
      rows_loaded: loaded,
    },
  }),
);
