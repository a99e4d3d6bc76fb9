// Swagger UI at /docs in headless Chromium, against a running server:
//
//     node docs.mjs http://127.0.0.1:PORT
//
// `run.sh` beside this file starts the demo server and calls this. Four
// checks, one line each, then "N passed, N failed"; the exit code is 1 when
// one fails. What the page should show is read from the server's own
// /openapi.json, so the checks follow the contract.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--headless",
];
/// The demo account's credentials, by the header that carries each.
const DEMO_CREDENTIALS = { "x-cognito-username": "demo", "x-pensa-access-token": "demo-token" };
/// The operation "Try it out" is run on.
const TRIED_OPERATION = "scan_statuses";
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

const base = process.argv[2];
if (!base) {
  console.error("usage: node docs.mjs http://127.0.0.1:PORT");
  process.exit(2);
}

/// Every request the pages of the browser make, in order, with its answer.
const requests = [];

async function waitForServer() {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(new URL("/healthz", base))).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${base}/healthz within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/// Each operation of the document: method, path, operation id, and the
/// first example of its request body.
function operationsOf(contract) {
  const methods = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
  return Object.entries(contract.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => methods.has(method))
      .map(([method, operation]) => {
        const media = operation.requestBody?.content?.["application/json"];
        const example = media?.example ?? Object.values(media?.examples ?? {})[0]?.value;
        return { method: method.toUpperCase(), path, id: operation.operationId, example };
      }),
  );
}

function isLoopback(url) {
  const { protocol, hostname } = new URL(url);
  // Inline data never leaves the browser.
  if (protocol === "data:" || protocol === "blob:" || protocol === "about:") return true;
  return LOOPBACK.has(hostname);
}

async function thePageRendersEveryOperation(page, contract, operations) {
  await page.goto(new URL("/docs", base).href);
  await page.locator(".opblock").first().waitFor();
  const title = `${contract.info.title} ${contract.info.version}`;
  await page.waitForFunction((expected) => document.title === expected, title);
  const shown = await page.locator(".opblock").count();
  for (const { method, path } of operations) {
    const block = page.locator(".opblock", {
      has: page.locator(`.opblock-summary-path[data-path="${path}"]`),
    });
    await block.waitFor();
    const shownMethod = (await block.locator(".opblock-summary-method").innerText()).trim();
    if (shownMethod !== method) throw new Error(`${path} is shown as ${shownMethod}, not ${method}`);
  }
  if (shown !== operations.length) {
    throw new Error(`${shown} operations shown, the document has ${operations.length}`);
  }
  // Every file the page loaded was there.
  await settled(page);
  const broken = requests.filter((request) => typeof request.outcome !== "number" || request.outcome >= 400);
  if (broken.length > 0) throw new Error(`the page could not load:\n${listing(broken)}`);
  return `"${title}": ${operations.map(({ method, path }) => `${method} ${path}`).join(", ")}`;
}

async function theTopBarListsBothDialects(page, operations) {
  const select = page.locator(".topbar select");
  const names = await select.locator("option").allInnerTexts();
  const rendition = names.find((name) => name.includes("3.1.0"));
  if (!names.some((name) => name.includes("3.0.3")) || !rendition) {
    throw new Error(`the top bar lists ${JSON.stringify(names)}, not the 3.0.3 source and the 3.1.0 rendition`);
  }
  await select.selectOption({ label: rendition });
  await page.waitForFunction(() => window.ui.specSelectors.specJson().get("openapi") === "3.1.0");
  await page.locator(".opblock").first().waitFor();
  const shown = await page.locator(".opblock").count();
  if (shown !== operations.length) {
    throw new Error(`the 3.1.0 rendition shows ${shown} operations, the document has ${operations.length}`);
  }
  return `${names.join(" and ")}; the rendition shows ${shown} operations`;
}

async function authorizeThenTryItOut(page, contract, operations) {
  // Authorize: every apiKey scheme of the document, each in its own form.
  const schemes = Object.entries(contract.components.securitySchemes).filter(
    ([, scheme]) => scheme.type === "apiKey" && scheme.in === "header",
  );
  await page.locator(".auth-wrapper button.authorize").click();
  for (const [name, scheme] of schemes) {
    const value = DEMO_CREDENTIALS[scheme.name.toLowerCase()];
    if (value === undefined) throw new Error(`no demo value for the header ${scheme.name} (${name})`);
    const form = page.locator(".modal-ux .auth-container", {
      has: page.locator("h4 code", { hasText: new RegExp(`^${name}$`) }),
    });
    await form.locator("input").fill(value);
    await form.locator("button.authorize").click();
    await form.locator("button", { hasText: "Logout" }).waitFor();
  }
  await page.locator(".modal-ux button.close-modal").click();

  // Try it out, with the documented request Swagger UI fills in.
  const operation = operations.find(({ id }) => id === TRIED_OPERATION);
  if (!operation) throw new Error(`the document has no operation ${TRIED_OPERATION}`);
  const block = page.locator(".opblock", {
    has: page.locator(`.opblock-summary-path[data-path="${operation.path}"]`),
  });
  await block.locator(".opblock-summary").click();
  await block.locator("button.try-out__btn").click();
  const sent = page.waitForRequest(
    (request) => request.method() === operation.method && new URL(request.url()).pathname === operation.path,
  );
  await block.locator("button.execute").click();
  const headers = await (await sent).allHeaders();
  for (const [header, value] of Object.entries(DEMO_CREDENTIALS)) {
    if (headers[header] !== value) throw new Error(`the request carried ${header}: ${headers[header]}`);
  }
  const status = block.locator(".live-responses-table .response .response-col_status");
  await status.waitFor();
  const shownStatus = (await status.innerText()).trim();
  if (shownStatus !== "200") throw new Error(`the answer shown is ${shownStatus}, not 200`);
  const body = JSON.parse(await block.locator(".live-responses-table .response-col_description pre").first().innerText());
  const answered = body.data.map((scan) => scan.id);
  const asked = [...new Set(operation.example.scan_ids)];
  if (JSON.stringify(answered) !== JSON.stringify(asked)) {
    throw new Error(`the answer shown holds scans ${answered}, the request asked for ${asked}`);
  }
  return `${operation.method} ${operation.path} as demo: 200 with scans ${answered.join(", ")}`;
}

/// Waits until the page has made no request for half a second and every
/// request it made is answered (at most 10 s): what it asks for late is
/// recorded too.
async function settled(page) {
  await page.waitForLoadState("networkidle");
  const deadline = Date.now() + 10_000;
  let seen = -1;
  while (Date.now() < deadline) {
    const pending = requests.some((request) => request.outcome === undefined);
    if (!pending && requests.length === seen) return;
    seen = requests.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function listing(recorded) {
  return recorded.map((request) => `       ${request.method.padEnd(4)} ${request.outcome ?? "-"} ${request.url}`).join("\n");
}

async function nothingWasRequestedOffLoopback(page) {
  await settled(page);
  if (requests.length === 0) throw new Error("no request was recorded");
  if (requests.some((request) => !isLoopback(request.url))) {
    throw new Error(`requests off loopback:\n${listing(requests)}`);
  }
  return `${requests.length} requests, all to ${new URL(base).host}\n${listing(requests)}`;
}

async function main() {
  await waitForServer();
  const contract = await (await fetch(new URL("/openapi.json", base))).json();
  const operations = operationsOf(contract);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  let passed = 0;
  let failed = 0;
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1600 } });
    // Recorded at the context, so every page and worker is seen; a request
    // bound off loopback is recorded and stopped before it leaves.
    context.on("request", (request) => requests.push({ request, method: request.method(), url: request.url() }));
    const answered = (request, outcome) => {
      const entry = requests.find((recorded) => recorded.request === request);
      if (entry) entry.outcome = outcome;
    };
    context.on("requestfinished", async (request) => answered(request, (await request.response())?.status()));
    context.on("requestfailed", (request) => answered(request, `failed (${request.failure()?.errorText})`));
    await context.route((url) => !isLoopback(url.href), (route) => route.abort("blockedbyclient"));
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);

    const checks = [
      ["the page renders both operations", () => thePageRendersEveryOperation(page, contract, operations)],
      ["Authorize with demo / demo-token, then Try it out", () => authorizeThenTryItOut(page, contract, operations)],
      ["the top bar lists both dialects", () => theTopBarListsBothDialects(page, operations)],
      ["the page requests nothing off loopback", () => nothingWasRequestedOffLoopback(page)],
    ];
    for (const [name, check] of checks) {
      try {
        const detail = await check();
        passed += 1;
        console.log(`ok   ${name}: ${detail}`);
      } catch (error) {
        failed += 1;
        const picture = join(tmpdir(), `scan-reports-docs-failure-${passed + failed}.png`);
        writeFileSync(picture, await page.screenshot({ fullPage: true }).catch(() => Buffer.alloc(0)));
        console.log(`FAIL ${name}: ${error.message}\n       the page then: ${picture}`);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(`the browser test could not run: ${error.stack ?? error}`);
  process.exitCode = 1;
});
