// The run-time without a working LMS: the web export keeps progress in the browser, a SCORM
// package opened outside an LMS says that progress is not being saved, browse mode records
// nothing, and a failing commit is reported and retried with a growing delay until it succeeds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildAndUnpack, startServer, launchBrowser, openLms, openPage, waitForPage, coursePages, sampleCourse,
  closeSco, assertCleanSession, STANDARDS,
} from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The launch page opened directly, as a learner opening the web export does. */
async function openDirect(server) {
  const opened = await openPage(browser, server, '/pkg/index.html');
  const course = opened.page.mainFrame();
  return { ...opened, course, content: opened.page.frameLocator('#cp-frame') };
}

test('web export: no notice, progress kept in the browser across visits', async () => {
  const dir = buildAndUnpack(sampleCourse, 'web');
  const pages = coursePages(dir);
  const server = await startServer(dir, 'web');
  try {
    const first = await openDirect(server);
    await first.content.locator(`html[data-page="${pages[0]}"]`).waitFor({ state: 'attached' });
    await first.page.locator('#cp-next').click();
    await first.content.locator(`html[data-page="${pages[1]}"]`).waitFor({ state: 'attached' });
    assert.equal(await first.page.locator('#cp-notice').isHidden(), true);
    await first.page.reload();
    await first.content.locator(`html[data-page="${pages[1]}"]`).waitFor({ state: 'attached' });
    assert.equal(await first.page.locator('#cp-progress-label').textContent(), `2 of ${pages.length} pages visited`);
    assert.deepEqual(first.problems, []);
    await first.page.close();
  } finally {
    await server.close();
  }
});

test('scorm12 package outside an LMS: a visible notice that progress is not saved', async () => {
  const dir = buildAndUnpack(sampleCourse, 'scorm12');
  const pages = coursePages(dir);
  const server = await startServer(dir, 'scorm12');
  try {
    const opened = await openDirect(server);
    await opened.content.locator(`html[data-page="${pages[0]}"]`).waitFor({ state: 'attached' });
    const notice = opened.page.locator('#cp-notice');
    assert.equal(await notice.isVisible(), true);
    assert.match(await notice.textContent(), /progress is not being saved/);
    assert.equal(await notice.getAttribute('role'), 'alert');
    await opened.page.close();
  } finally {
    await server.close();
  }
});

test('browse mode (Moodle preview): pages can be read, nothing is recorded', async () => {
  const dir = buildAndUnpack(sampleCourse, 'scorm12');
  const pages = coursePages(dir);
  const server = await startServer(dir, 'scorm12');
  try {
    const opened = await openLms(browser, server, { core: { lesson_mode: 'browse' } });
    await waitForPage(opened.sco, pages[0]);
    await opened.sco.locator('#cp-next').click();
    await waitForPage(opened.sco, pages[1]);
    await opened.page.evaluate(() => { document.getElementById('sco').src = 'about:blank'; });
    await opened.page.waitForFunction(() => window.calls.some((c) => c.name === 'LMSFinish'));
    const calls = await opened.page.evaluate(() => window.calls);
    assert.deepEqual(calls.filter((c) => c.name === 'LMSSetValue'), [], 'no value is written in browse mode');
    assert.deepEqual(opened.problems, []);
    await opened.page.close();
  } finally {
    await server.close();
  }
});

for (const standard of ['scorm12', 'scorm2004']) {
  const commitName = standard === 'scorm12' ? 'LMSCommit' : 'Commit';
  test(`${standard}: a failed commit is retried with a growing delay until the LMS is back, and the notice goes`, async () => {
    const dir = buildAndUnpack(sampleCourse, standard);
    const pages = coursePages(dir);
    const server = await startServer(dir, standard);
    try {
      const opened = await openLms(browser, server);
      await waitForPage(opened.sco, pages[0]);
      assert.equal(await opened.sco.locator('#cp-notice').isHidden(), true);
      server.state.failCommits = true;
      const before = (await opened.page.evaluate(() => window.calls)).length;
      await opened.sco.locator('#cp-next').click();
      await waitForPage(opened.sco, pages[1]);
      await opened.sco.locator('#cp-notice').waitFor({ state: 'visible' });
      assert.match(await opened.sco.locator('#cp-notice').textContent(), /could not be saved/);
      // An outage of a few seconds: the tries at 0, 1 s and 3 s fail, the one at 7 s succeeds.
      const failing = async () => (await opened.page.evaluate(() => window.calls)).slice(before).filter((c) => c.name === commitName);
      await opened.page.waitForFunction(([from, name]) => window.calls.slice(from).filter((c) => c.name === name).length >= 3, [before, commitName]);
      server.state.failCommits = false;
      const tries = await failing();
      assert.ok(tries.slice(0, 3).every((c) => c.result === 'false'));
      const gaps = tries.slice(1, 3).map((c, i) => c.at - tries[i].at);
      assert.ok(gaps[0] >= 900 && gaps[1] >= 1900, `the delays grow: ${gaps} ms`);
      await opened.sco.locator('#cp-notice').waitFor({ state: 'hidden', timeout: 10000 });
      const last = (await failing()).at(-1);
      assert.equal(last.result, 'true', 'a later try succeeded');
      assert.ok(last.at - tries[2].at >= 3900, 'after a longer delay again');
      const { cmi } = server.commits.at(-1);
      assert.equal(standard === 'scorm12' ? cmi.core.lesson_location : cmi.location, pages[1], 'what was not saved reached the LMS');
      await opened.page.close();
    } finally {
      await server.close();
    }
  });
}

for (const standard of ['scorm12', 'scorm2004']) {
  const s = STANDARDS[standard];
  test(`${standard}: an API that appears 1.5 s after the launch is found, and the course reports to it`, async () => {
    const dir = buildAndUnpack(sampleCourse, standard);
    const pages = coursePages(dir);
    const server = await startServer(dir, standard);
    try {
      const opened = await openLms(browser, server, {}, 'index.html', { apiDelay: 1500 });
      await waitForPage(opened.sco, pages[0]);
      await opened.sco.locator('#cp-next').click();
      await waitForPage(opened.sco, pages[1]);
      assert.equal(await opened.sco.locator('#cp-notice').isHidden(), true, 'no "not being saved" notice');
      await closeSco(opened.page, s.finish);
      assertCleanSession(await opened.page.evaluate(() => window.calls), s);
      assert.equal(s.read(server.commits.at(-1)).location, pages[1]);
      await opened.page.close();
    } finally {
      await server.close();
    }
  });

  test(`${standard}: a failed ${s.finish} is retried; the learner is told to stay and exit again`, async () => {
    const dir = buildAndUnpack(sampleCourse, standard);
    const pages = coursePages(dir);
    const server = await startServer(dir, standard);
    try {
      // The LMS fails the first three finishes, as one whose server is briefly unreachable.
      const opened = await openLms(browser, server, {}, 'index.html', { failFinish: 3 });
      await waitForPage(opened.sco, pages[0]);
      await opened.sco.locator('#cp-exit').click();
      await opened.sco.locator('#cp-notice').filter({ hasText: /select Exit again/ }).waitFor();
      const finishes = async () => (await opened.page.evaluate(() => window.calls)).filter((c) => c.name === s.finish);
      assert.deepEqual((await finishes()).map((c) => c.result), ['false', 'false', 'false'], 'tried three times');
      assert.ok(await opened.sco.locator('#cp-frame').getAttribute('src'), 'the course stays open');
      await opened.sco.locator('#cp-exit').click();
      await opened.sco.locator('#cp-notice').filter({ hasText: /You have left the course/ }).waitFor();
      assert.equal((await finishes()).at(-1).result, 'true');
      const record = s.read(server.commits.at(-1));
      assert.equal(record.exit, 'suspend', 'the exit reached the LMS');
      assert.match(record.sessionTime, s.sessionTime);
      await opened.page.close();
    } finally {
      await server.close();
    }
  });
}

test('session time formats: carries, two decimals at most, both versions', async () => {
  const dir = buildAndUnpack(sampleCourse, 'web');
  const server = await startServer(dir, 'web');
  try {
    const opened = await openDirect(server);
    await opened.page.waitForFunction(() => window.coursepack);
    const cases = [0, 3456, 59999, 61000, 3600000, 3599994, 36000000000];
    const formatted = await opened.page.evaluate((ms) => ms.map((t) => [window.coursepack.timespan12(t), window.coursepack.duration2004(t)]), cases);
    assert.deepEqual(formatted, [
      ['00:00:00.00', 'PT0H0M0S'],
      ['00:00:03.46', 'PT0H0M3.46S'],
      ['00:01:00.00', 'PT0H1M0S'],
      ['00:01:01.00', 'PT0H1M1S'],
      ['01:00:00.00', 'PT1H0M0S'],
      ['00:59:59.99', 'PT0H59M59.99S'],
      ['9999:00:00.00', 'PT10000H0M0S'],
    ]);
    await opened.page.close();
  } finally {
    await server.close();
  }
});
