// Test harness: builds a package with the real coursepack binary, unpacks it, serves it on
// 127.0.0.1 inside an LMS page whose SCORM API is scorm-again (the maintained npm run-time),
// and drives it in headless Chromium with playwright-core.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, existsSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, normalize, extname, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..');
export const sampleCourse = join(repo, 'courses', 'risk-management-internal-risk');

export function coursepackBinary() {
  const bin = process.env.COURSEPACK_BIN || join(repo, 'target', 'debug', 'coursepack');
  if (!existsSync(bin)) throw new Error(`${bin} not found: run \`cargo build\` first`);
  return bin;
}

const scratch = [];
process.on('exit', (code) => {
  // Kept when a test failed (screenshots, packages), so that the failure can be looked at.
  if (code !== 0) {
    if (scratch.length) console.error(`kept for inspection: ${scratch.join(' ')}`);
    return;
  }
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A new temporary folder, removed when the test file's process ends. */
export function scratchDir(purpose) {
  const dir = mkdtempSync(join(tmpdir(), `coursepack-${purpose}-`));
  scratch.push(dir);
  return dir;
}

/** Builds `course` for `standard` and unpacks it; returns the zip and the package folder. */
export function buildPackage(course, standard, extraArgs = []) {
  const out = scratchDir('browser');
  const stdout = execFileSync(coursepackBinary(), ['build', course, '--standard', standard, '-o', out, ...extraArgs], { encoding: 'utf8' });
  const zip = stdout.trim().split(/\s+/)[0];
  const dir = join(out, 'unpacked');
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, dir]);
  return { zip, dir };
}

/** Builds `course` for `standard` and unpacks it; returns the package folder. */
export function buildAndUnpack(course, standard, extraArgs = []) {
  return buildPackage(course, standard, extraArgs).dir;
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8' };

/** The LMS page: a scorm-again API on the window, the SCO in an iframe, every API call logged. */
function lmsPage(standard, initial) {
  const api = standard === 'scorm12' ? 'API' : 'API_1484_11';
  const klass = standard === 'scorm12' ? 'Scorm12API' : 'Scorm2004API';
  const methods = standard === 'scorm12'
    ? ['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit']
    : ['Initialize', 'Terminate', 'GetValue', 'SetValue', 'Commit'];
  const lastError = standard === 'scorm12' ? 'LMSGetLastError' : 'GetLastError';
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test LMS</title><link rel="icon" href="data:,">
<script src="/lms/scorm-again.js"></script></head><body>
<script>
  const query = new URLSearchParams(location.search);
  // What the LMS holds for this learner at launch (a suspend_data near its limit is too long for a URL).
  const initial = ${JSON.stringify(initial).replace(/</g, '\\u003c')};
  // Elements whose first write the LMS refuses (as an LMS that rejects a value does), for fault tests.
  const refuseOnce = new Set(JSON.parse(query.get('refuse') || '[]'));
  // How many times the finish call fails (a general failure) before the LMS takes it.
  let failFinish = Number(query.get('failFinish'));
  // scorm-again posts the commit of Terminate as a beacon, which browsers cap at 64 KiB: a
  // record larger than that (2004's suspend_data alone may be 64,000 characters) goes by an
  // ordinary request instead, which this page outlives (see waitForCommit).
  if (query.get('largeRecords') === 'true') {
    navigator.sendBeacon = (url, body) => {
      fetch(url, { method: 'POST', body });
      return true;
    };
  }
  const api = new ${klass}({ logLevel: 5, autocommit: false, lmsCommitUrl: location.origin + '/lms/commit' });
  if (Object.keys(initial).length) api.loadFromJSON(initial);
  window.calls = [];
  for (const name of ${JSON.stringify(methods)}) {
    const real = api[name].bind(api);
    api[name] = function (...args) {
      if ((name === '${STANDARDS[standard].set}' && refuseOnce.delete(args[0])) || (name === '${STANDARDS[standard].finish}' && failFinish-- > 0)) {
        window.calls.push({ name, args, result: 'false', error: '101', at: Date.now() });
        return 'false';
      }
      const result = real(...args);
      window.calls.push({ name, args, result: String(result), error: String(api.${lastError}()), at: Date.now() });
      return result;
    };
  }
  // An LMS may add its API only after the content has started loading.
  const apiDelay = Number(query.get('apiDelay'));
  if (apiDelay) setTimeout(() => { window.${api} = api; }, apiDelay);
  else window.${api} = api;
</script>
<iframe id="sco" style="width:1000px;height:700px"></iframe>
<script>
  // The launch URL with the item's parameters appended, as an LMS builds it.
  document.getElementById('sco').src = '/pkg/' + (new URLSearchParams(location.search).get('launch') || 'index.html');
</script>
</body></html>`;
}

/** Serves the LMS page, scorm-again and the unpacked package; records every request. */
export async function startServer(packageDir, standard) {
  const scormAgain = join(here, 'node_modules', 'scorm-again', 'dist', 'scorm-again.js');
  const requests = [];
  const commits = [];
  const state = { failCommits: false, initial: {} };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push(url.pathname);
    if (url.pathname === '/lms/commit' && req.method === 'POST' && state.failCommits) {
      res.writeHead(500);
      return res.end('LMS unavailable');
    }
    if (url.pathname === '/lms/commit' && req.method === 'POST') {
      // What the LMS back end receives: the record the tests assert on.
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        commits.push(JSON.parse(body));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ result: true, errorCode: 0 }));
      });
      return;
    }
    if (url.pathname === '/lms/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(lmsPage(standard, state.initial));
    }
    if (url.pathname === '/lms/scorm-again.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(readFileSync(scormAgain));
    }
    if (url.pathname.startsWith('/pkg/')) {
      const file = normalize(join(packageDir, decodeURIComponent(url.pathname.slice(5))));
      if (file.startsWith(packageDir) && existsSync(file) && statSync(file).isFile()) {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
        return res.end(readFileSync(file));
      }
    }
    res.writeHead(404);
    res.end('not found');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, requests, commits, state, close: () => new Promise((ok) => server.close(ok)) };
}

export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: run the README's test command, which installs it`);
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Opens the LMS page with optional initial CMI data (and, for fault tests, elements whose first
 * write is refused, a delay before the API appears and a number of failing finishes); collects
 * console errors and any request that leaves the server.
 */
export async function openLms(browser, server, cmi = {}, launch = 'index.html', { refuse = [], apiDelay = 0, failFinish = 0, largeRecords = false } = {}) {
  server.state.initial = cmi;
  const query = new URLSearchParams({
    launch, refuse: JSON.stringify(refuse), apiDelay: String(apiDelay), failFinish: String(failFinish), largeRecords: String(largeRecords),
  });
  return openPage(browser, server, `/lms/?${query}`);
}

/** Opens `path` on the test server, recording console errors and requests that leave it. */
export async function openPage(browser, server, path) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('request', (req) => {
    if (!req.url().startsWith(server.origin + '/') && !req.url().startsWith('about:')) problems.push(`request outside the package: ${req.url()}`);
  });
  await page.goto(`${server.origin}${path}`);
  const sco = page.frameLocator('#sco');
  return { page, sco, problems };
}

/** The id of the content page currently shown inside the SCO. */
export async function currentPageId(sco) {
  return sco.frameLocator('#cp-frame').locator('html').getAttribute('data-page');
}

/** Waits until the content frame shows `id` and the launch page has taken it as the current page. */
export async function waitForPage(sco, id) {
  await sco.frameLocator('#cp-frame').locator(`html[data-page="${id}"]`).waitFor({ state: 'attached' });
  await sco.locator(`#cp-menu a[data-page="${id}"][aria-current="page"]`).waitFor({ state: 'attached' });
}

/** Closes the SCO as an LMS does (the frame goes away) and waits for the session to end. */
export async function closeSco(page, finishName) {
  await page.evaluate(() => { document.getElementById('sco').src = 'about:blank'; });
  await page.waitForFunction((name) => window.calls.some((c) => c.name === name), finishName);
}

/** Waits until the LMS back end has received more than `count` commits. */
export async function waitForCommit(server, count) {
  for (let waited = 0; server.commits.length <= count; waited += 50) {
    if (waited > 10000) throw new Error(`no commit after the first ${count}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/** Package page ids in course order, read from the launch page's data. */
export function coursePages(packageDir) {
  const html = readFileSync(join(packageDir, 'index.html'), 'utf8');
  const json = html.match(/<script type="application\/json" id="cp-data">([\s\S]*?)<\/script>/)[1];
  return JSON.parse(json).pages.map((p) => p.id);
}

/** What differs between the SCORM versions, for assertions. */
export const STANDARDS = {
  scorm12: {
    init: 'LMSInitialize', finish: 'LMSFinish', set: 'LMSSetValue', commit: 'LMSCommit',
    read: ({ cmi }) => ({
      status: cmi.core.lesson_status,
      location: cmi.core.lesson_location,
      suspend: cmi.suspend_data,
      exit: cmi.core.exit,
      sessionTime: cmi.core.session_time,
    }),
    // What an LMS hands the next launch after exit=suspend.
    resumeData: (r) => ({ core: { entry: 'resume', lesson_status: r.status, lesson_location: r.location }, suspend_data: r.suspend }),
    sessionTime: /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/,
    statusElement: 'cmi.core.lesson_status',
    finalExit: '',
  },
  scorm2004: {
    init: 'Initialize', finish: 'Terminate', set: 'SetValue', commit: 'Commit',
    read: ({ cmi }) => ({
      status: cmi.completion_status,
      location: cmi.location,
      suspend: cmi.suspend_data,
      exit: cmi.exit,
      sessionTime: cmi.session_time,
      progress: cmi.progress_measure,
    }),
    resumeData: (r) => ({ entry: 'resume', completion_status: r.status, location: r.location, suspend_data: r.suspend }),
    sessionTime: /^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$/,
    statusElement: 'cmi.completion_status',
    finalExit: 'normal',
  },
};

/** Initialize and Terminate once each, first and last, and no call the LMS refused. */
export function assertCleanSession(calls, s) {
  const names = calls.map((c) => c.name);
  assert.equal(names.filter((n) => n === s.init).length, 1, 'initialized once');
  assert.equal(names.filter((n) => n === s.finish).length, 1, 'terminated once');
  assert.equal(names[0], s.init);
  assert.equal(names[names.length - 1], s.finish);
  // Reading the passing score an LMS did not supply is 403 by the 2004 specification.
  const refused = calls.filter((c) => c.error !== '0' && !(c.args[0] === 'cmi.scaled_passing_score' && c.error === '403'));
  assert.deepEqual(refused, [], 'no API call returned an error');
}
