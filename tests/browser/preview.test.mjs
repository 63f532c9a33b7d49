// `coursepack preview` as a designer uses it: the server started on a copy of the sample
// course, the page open in Chromium, sources edited on disk while it is open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { coursepackBinary, launchBrowser, sampleCourse, scratchDir } from './harness.mjs';

/** Starts the preview on a free port; resolves once it prints its address. */
function startPreview(course) {
  const child = spawn(coursepackBinary(), ['preview', course, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      const match = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(String(chunk));
      if (match) resolve({ child, origin: match[1], stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`preview exited with ${code}: ${stderr}`)));
  });
}

const PAGE = join('01-introduction', '02-what-is-internal-risk.md');

test('preview: live reload, error overlay, LMS panel, relaunch and standards', async () => {
  const dir = scratchDir('preview');
  const course = join(dir, 'course');
  cpSync(sampleCourse, course, { recursive: true });
  const preview = await startPreview(course);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('request', (req) => {
      if (!req.url().startsWith(preview.origin) && !req.url().startsWith('about:')) problems.push(`outside: ${req.url()}`);
    });
    await page.goto(preview.origin);
    const content = page.frameLocator('#pv-frame').frameLocator('#cp-frame');
    await content.locator('h1', { hasText: 'Welcome to the course' }).waitFor();
    // The launch page has taken the first page as the current one: Next goes on from it.
    const onFirstPage = () => page.frameLocator('#pv-frame').locator('#cp-menu a[aria-current="page"][data-page="introduction/welcome"]').waitFor({ state: 'attached' });
    await onFirstPage();

    // The panel shows what the LMS recorded, and follows navigation.
    await page.locator('#pv-status', { hasText: 'incomplete' }).waitFor();
    await page.frameLocator('#pv-frame').locator('#cp-next').click();
    await content.locator('h1', { hasText: 'What is internal risk?' }).waitFor();
    await page.locator('#pv-calls li', { hasText: 'LMSSetValue("cmi.core.lesson_location"' }).first().waitFor();
    assert.match(await page.locator('#pv-suspend').textContent(), /^\d+ of 4096 characters$/);
    assert.match(await page.locator('#pv-calls').textContent(), /LMSInitialize\(""\) → "true"/);

    // Close and relaunch resumes where the learner was, as an LMS does.
    await page.locator('#pv-relaunch').click();
    await page.locator('#pv-calls li', { hasText: 'LMSGetValue("cmi.core.lesson_location") → "introduction/what-is-internal-risk"' }).waitFor();
    await content.locator('h1', { hasText: 'What is internal risk?' }).waitFor();
    assert.match(await page.locator('#pv-calls').textContent(), /LMSSetValue\("cmi.core.exit", "suspend"\) → "true"/);

    // An edit to the page on screen appears by itself, quickly.
    const source = join(course, PAGE);
    const original = readFileSync(source, 'utf8');
    const started = Date.now();
    writeFileSync(source, original.replace('# What is internal risk?', '# What is internal risk? (edited)'));
    await content.locator('h1', { hasText: 'What is internal risk? (edited)' }).waitFor();
    const elapsed = Date.now() - started;
    console.log(`edit shown after ${elapsed} ms`);
    assert.ok(elapsed < 2000, `the edit took ${elapsed} ms to show`);

    // A broken edit: the error with file:line over the last good version.
    writeFileSync(source, `${original}\nSee [a page that does not exist](09-missing.md).\n`);
    await page.locator('#pv-error').waitFor({ state: 'visible' });
    const error = await page.locator('#pv-error-text').textContent();
    assert.match(error, /01-introduction\/02-what-is-internal-risk\.md:\d+:\d+: error: .*09-missing\.md/);
    assert.match(preview.stderr(), /02-what-is-internal-risk\.md:\d+:\d+: error/);
    assert.ok(await page.frameLocator('#pv-frame').locator('#cp-next').isVisible(), 'the last good version stays');
    writeFileSync(source, original);
    await page.locator('#pv-error').waitFor({ state: 'hidden' });

    // SCORM 2004, and a reset learner.
    await page.locator('#pv-scorm2004').click();
    await page.locator('#pv-calls li', { hasText: 'Initialize("") → "true"' }).waitFor();
    await page.locator('#pv-suspend', { hasText: 'of 64000 characters' }).waitFor();
    assert.match(await page.locator('#pv-status').textContent(), /incomplete/);
    await onFirstPage();
    await page.frameLocator('#pv-frame').locator('#cp-next').click();
    await page.locator('#pv-location', { hasText: 'introduction/what-is-internal-risk' }).waitFor();
    await page.locator('#pv-reset').click();
    await page.locator('#pv-calls li', { hasText: 'SetValue("cmi.location", "introduction/welcome") → "true"' }).waitFor();
    await content.locator('h1', { hasText: 'Welcome to the course' }).waitFor();
    assert.doesNotMatch(await page.locator('#pv-calls').textContent(), /what-is-internal-risk/);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    preview.child.kill();
  }
});

test('preview: the LMS run-time carried in the binary is scorm-again as published on npm', () => {
  const vendored = readFileSync(join(import.meta.dirname, '..', '..', 'templates', 'preview', 'scorm-again.min.js'));
  const published = readFileSync(join(import.meta.dirname, 'node_modules', 'scorm-again', 'dist', 'scorm-again.min.js'));
  assert.ok(vendored.equals(published), 'templates/preview/scorm-again.min.js differs from the npm package; copy it again');
});

/** One request to the preview with the headers a browser of another origin could send. */
function ask(origin, path, { method = 'GET', headers = {}, body = '' } = {}) {
  const url = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers }, (res) => {
      let text = '';
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('preview: other host names, requests without the page\'s token and files swapped for links out are refused', async () => {
  const dir = scratchDir('preview');
  const course = join(dir, 'course');
  cpSync(sampleCourse, course, { recursive: true });
  writeFileSync(join(dir, 'secret.txt'), 'outside the course');
  const preview = await startPreview(course);
  try {
    // DNS rebinding: a page of evil.example resolved to 127.0.0.1 sends its own Host.
    const rebound = await ask(preview.origin, '/__preview/learner?standard=scorm12', { headers: { Host: 'evil.example:80' } });
    assert.equal(rebound.status, 421);
    const port = new URL(preview.origin).port;
    assert.equal((await ask(preview.origin, '/', { headers: { Host: `localhost:${port}` } })).status, 200);

    // A cross-origin "simple" request (text/plain, no preflight) cannot reset or write the record.
    const post = await ask(preview.origin, '/__preview/learner?standard=scorm12', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{"cmi":{}}' });
    assert.equal(post.status, 403);
    assert.equal((await ask(preview.origin, '/__preview/learner?standard=scorm12', { method: 'DELETE' })).status, 403);
    const page = (await ask(preview.origin, '/')).text;
    const token = /name="coursepack-token" content="([0-9a-f]{32})"/.exec(page)[1];
    const allowed = await ask(preview.origin, '/__preview/learner?standard=scorm12', { method: 'POST', headers: { 'X-Coursepack-Token': token }, body: '{"cmi":{}}' });
    assert.equal(allowed.status, 204);

    // A course file swapped for a link to a file outside the course is no longer served: files
    // are read through the course gate at each request.
    const handout = '/course/scorm12/files/media/handouts/summary.txt';
    assert.equal((await ask(preview.origin, handout)).status, 200);
    rmSync(join(course, 'media', 'handouts', 'summary.txt'));
    symlinkSync(join(dir, 'secret.txt'), join(course, 'media', 'handouts', 'summary.txt'));
    const swapped = await ask(preview.origin, handout);
    assert.equal(swapped.status, 404);
    assert.doesNotMatch(swapped.text, /outside the course/);

    // Carried markup (SVG, HTML, CSS) is served as the bytes the HTML policy checked in the
    // last good build, never as what a link put in its place.
    const logo = '/course/scorm12/files/media/logo.svg';
    const checked = await ask(preview.origin, logo);
    assert.equal(checked.status, 200);
    assert.match(checked.text, /<svg/);
    rmSync(join(course, 'media', 'logo.svg'));
    symlinkSync(join(dir, 'secret.txt'), join(course, 'media', 'logo.svg'));
    const kept = await ask(preview.origin, logo);
    assert.equal(kept.status, 200);
    assert.equal(kept.text, checked.text);
  } finally {
    preview.child.kill();
  }
});

test('preview: an edited SVG, carried as the HTML policy checked it, is served as edited', async () => {
  const dir = scratchDir('preview');
  const course = join(dir, 'course');
  cpSync(sampleCourse, course, { recursive: true });
  const preview = await startPreview(course);
  try {
    const logo = '/course/scorm12/files/media/logo.svg';
    assert.doesNotMatch((await ask(preview.origin, logo)).text, /data-edited/);
    const file = join(course, 'media', 'logo.svg');
    writeFileSync(file, readFileSync(file, 'utf8').replace('<svg', '<svg data-edited="yes"'));
    const deadline = Date.now() + 5000;
    let served = '';
    while (!served.includes('data-edited') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      served = (await ask(preview.origin, logo)).text;
    }
    assert.match(served, /data-edited="yes"/, 'the rebuild after the edit carries the new bytes');
  } finally {
    preview.child.kill();
  }
});
