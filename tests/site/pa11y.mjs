// pa11y with the HTML_CodeSniffer runner at WCAG 2 AA on a list of pages, in one Chromium
// (Debian's, not Puppeteer's download). Used by tests/site/test_checkers.py:
//   node tests/site/pa11y.mjs <node_modules folder> <jobs.json>
// jobs.json: { "chromium": "/usr/bin/chromium",
//              "pages": [{ "url": "http://127.0.0.1:…/", "actions": ["set field …", …] }] }
// Prints one JSON array: [{ url, issues: [{ code, message, selector, context }] }] (errors only).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

const [modules, jobsFile] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(modules), "package.json"));
const pa11y = require("pa11y");
const puppeteer = require("puppeteer");
const jobs = JSON.parse(readFileSync(jobsFile, "utf8"));

const args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync"];
const browser = await puppeteer.launch({ executablePath: jobs.chromium, args, headless: true });
const results = [];
try {
  for (const job of jobs.pages) {
    const result = await pa11y(job.url, {
      browser,
      runners: ["htmlcs"],
      standard: "WCAG2AA",
      includeNotices: false,
      includeWarnings: false,
      timeout: 60000,
      actions: job.actions || [],
    });
    results.push({
      url: job.url,
      issues: result.issues
        .filter((issue) => issue.type === "error")
        .map(({ code, message, selector, context }) => ({ code, message, selector, context })),
    });
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
