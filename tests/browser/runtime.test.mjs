// Plays the sample course in headless Chromium against scorm-again, for SCORM 1.2 and 2004:
// first session (visit some pages, close), relaunch at the bookmark, finish, and check what
// the LMS side recorded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildAndUnpack, startServer, launchBrowser, openLms, waitForPage, closeSco, coursePages, sampleCourse,
  STANDARDS, assertCleanSession,
} from './harness.mjs';


let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

for (const [standard, s] of Object.entries(STANDARDS)) {
  test(`${standard}: launch, bookmark, resume and complete the sample course`, async () => {
    const dir = buildAndUnpack(sampleCourse, standard);
    const pages = coursePages(dir);
    assert.ok(pages.length >= 12, 'the sample course has at least 12 pages');
    const server = await startServer(dir, standard);
    try {
      // First session: the first three pages, then the LMS closes the SCO.
      const first = await openLms(browser, server);
      await waitForPage(first.sco, pages[0]);
      await first.sco.locator('#cp-next').click();
      await waitForPage(first.sco, pages[1]);
      await first.sco.locator('#cp-next').click();
      await waitForPage(first.sco, pages[2]);
      await closeSco(first.page, s.finish);
      const calls1 = await first.page.evaluate(() => window.calls);
      const record1 = s.read(server.commits.at(-1));
      assert.deepEqual(first.problems, []);
      assertCleanSession(calls1, s);
      assert.equal(record1.status, 'incomplete');
      assert.equal(record1.location, pages[2]);
      assert.equal(record1.exit, 'suspend', 'an unfinished course suspends so that the LMS offers resume');
      assert.match(record1.sessionTime, s.sessionTime);
      assert.match(record1.suspend, /^2\|[0-9a-z]+\|[A-Za-z0-9_-]+$/);
      if (standard === 'scorm2004') assert.equal(Number(record1.progress), Number((3 / pages.length).toFixed(4)));
      // A commit after each page change, not after every SetValue.
      const commits = calls1.filter((c) => c.name === s.commit).length;
      assert.ok(commits >= 3 && commits <= 5, `commits: ${commits}`);
      await first.page.close();

      // Relaunch with what the LMS saved: the course opens at the bookmark, earlier pages ticked.
      const second = await openLms(browser, server, s.resumeData(record1));
      await waitForPage(second.sco, pages[2]);
      const ticked = await second.sco.locator('#cp-menu a.cp-visited').evaluateAll((links) => links.map((a) => a.dataset.page));
      assert.deepEqual(ticked, pages.slice(0, 3));
      assert.equal(await second.sco.locator('#cp-progress-label').textContent(), `3 of ${pages.length} pages visited`);
      assert.equal(await second.sco.locator('#cp-menu a[aria-current="page"]').getAttribute('data-page'), pages[2]);
      // Visit the rest through the menu's last page and the Previous/Next buttons.
      for (let i = 3; i < pages.length; i++) {
        await second.sco.locator('#cp-next').click();
        await waitForPage(second.sco, pages[i]);
      }
      assert.equal(await second.sco.locator('#cp-next').isDisabled(), true);
      assert.equal(await second.sco.locator('#cp-progress-label').textContent(), `${pages.length} of ${pages.length} pages visited`);
      await second.sco.locator('#cp-exit').click();
      await second.page.waitForFunction((name) => window.calls.some((c) => c.name === name), s.finish);
      // The page going away afterwards must not terminate a second time.
      await second.page.evaluate(() => { document.getElementById('sco').src = 'about:blank'; });
      await second.page.waitForTimeout(200);
      const calls2 = await second.page.evaluate(() => window.calls);
      const record2 = s.read(server.commits.at(-1));
      assert.deepEqual(second.problems, []);
      assertCleanSession(calls2, s);
      assert.equal(record2.status, 'completed');
      assert.equal(record2.location, pages[pages.length - 1]);
      assert.equal(record2.exit, s.finalExit);
      assert.match(record2.sessionTime, s.sessionTime);
      if (standard === 'scorm2004') assert.equal(record2.progress, '1');
      assert.ok(!calls2.some((c) => c.name === s.set && c.args[0] === s.statusElement && c.args[1] === 'incomplete'),
        'a resumed, incomplete attempt is not set to incomplete again');
      await second.page.close();
      assert.ok(server.requests.every((p) => p.startsWith('/pkg/') || p.startsWith('/lms/')), server.requests.join(' '));
    } finally {
      await server.close();
    }
  });
}

for (const held of ['passed', 'failed']) {
  test(`scorm12: a ${held} the LMS holds is kept when the course's saved state is gone`, async () => {
    const dir = buildAndUnpack(sampleCourse, 'scorm12');
    const pages = coursePages(dir);
    const server = await startServer(dir, 'scorm12');
    try {
      // What an LMS hands back after an update that the saved state no longer matches.
      const opened = await openLms(browser, server, { core: { entry: 'resume', lesson_status: held, lesson_location: pages[1] }, suspend_data: '1|stale|AA' });
      await waitForPage(opened.sco, pages[1]);
      for (const id of pages.slice(2)) {
        await opened.sco.locator('#cp-next').click();
        await waitForPage(opened.sco, id);
      }
      await closeSco(opened.page, 'LMSFinish');
      const statuses = (await opened.page.evaluate(() => window.calls))
        .filter((c) => c.name === 'LMSSetValue' && c.args[0] === 'cmi.core.lesson_status').map((c) => c.args[1]);
      assert.deepEqual(statuses, [], `the status is never rewritten: ${statuses}`);
      assert.equal(server.commits.at(-1).cmi.core.lesson_status, held);
      await opened.page.close();
    } finally {
      await server.close();
    }
  });
}

test('scorm12 with one SCO per module: the module SCO tracks only its own pages', async () => {
  const dir = buildAndUnpack(sampleCourse, 'scorm12', ['--sco-per-module']);
  const modulePages = coursePages(dir).filter((id) => id.startsWith('corruption-risk-mapping/'));
  assert.equal(modulePages.length, 5);
  const server = await startServer(dir, 'scorm12');
  try {
    const opened = await openLms(browser, server, {}, 'index.html?module=corruption-risk-mapping');
    await waitForPage(opened.sco, modulePages[0]);
    const visibleMenu = await opened.sco.locator('#cp-menu a[data-page]:visible').evaluateAll((links) => links.map((a) => a.dataset.page));
    assert.deepEqual(visibleMenu, modulePages);
    for (const id of modulePages.slice(1)) {
      await opened.sco.locator('#cp-next').click();
      await waitForPage(opened.sco, id);
    }
    await closeSco(opened.page, 'LMSFinish');
    const { cmi } = server.commits.at(-1);
    assert.equal(cmi.core.lesson_status, 'completed');
    assert.deepEqual(cmi.core.score, { raw: '100', min: '0', max: '100' }, 'a module without an assessment, completed, is full marks');
    assert.equal(cmi.core.lesson_location, modulePages.at(-1));
    assertCleanSession(await opened.page.evaluate(() => window.calls), STANDARDS.scorm12);
    assert.deepEqual(opened.problems, []);
    await opened.page.close();
  } finally {
    await server.close();
  }
});
