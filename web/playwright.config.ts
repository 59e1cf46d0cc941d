import { defineConfig } from "@playwright/test";

// Driven by tests/browser/browser_test.cc, which starts the product and passes its URL and
// accounts in the environment. The browser is Debian's Chromium, not a downloaded one.
const artifacts = process.env.VAARTA_ARTIFACTS ?? "test-results";

export default defineConfig({
  testDir: "./tests",
  outputDir: `${artifacts}/playwright`,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: process.env.VAARTA_URL ?? "http://127.0.0.1:8080",
    browserName: "chromium",
    launchOptions: { executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage"] },
    viewport: { width: 1280, height: 800 },
    screenshot: "only-on-failure",
    trace: "off",
    acceptDownloads: true,
    actionTimeout: 20_000,
    navigationTimeout: 20_000,
  },
});
