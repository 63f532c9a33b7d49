// A coordinator replaces the package of a live activity: the learner's record of version 1
// is carried into version 2 as the LMS keeps it, and what the learner did on pages and
// questions that still exist comes back; what no longer exists is dropped, and nothing the
// LMS holds is lowered. Both SCORM versions, on the sample course.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildAndUnpack, startServer, launchBrowser, openLms, waitForPage, closeSco, coursePages, sampleCourse, scratchDir,
  assertCleanSession, STANDARDS,
} from './harness.mjs';
import { quizData, answer, takeAssessment } from './quiz-helpers.mjs';
import { createRequire } from 'node:module';
import { repo } from './harness.mjs';

const quizScript = createRequire(import.meta.url)(join(repo, 'templates', 'assets', 'quiz.js'));

const CHECK = 'introduction/integrity-risk-indicators';
const FINAL = 'final-assessment/final-assessment';
const REMOVED = 'managing-people/rewards-and-sanctions';
const ADDED = 'introduction/before-you-start';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/**
 * Version 2 of `course` (version 1, built once, so its coursepack.lock is the one the live
 * package was built with): a page added at the front, a visited page removed, two modules
 * swapped, and the knowledge-check page's file renamed, keeping its identity with `id:`.
 */
function secondVersion(course) {
  const intro = join(course, '01-introduction');
  writeFileSync(join(intro, '00-before-you-start.md'), '# Before you start\n\nThis module takes about an hour.\n');
  rmSync(join(course, '03-managing-people', '02-rewards-and-sanctions.md'));
  renameSync(join(course, '02-corruption-risk-mapping'), join(course, 'swap'));
  renameSync(join(course, '04-governance-framework'), join(course, '02-governance-framework'));
  renameSync(join(course, 'swap'), join(course, '04-corruption-risk-mapping'));
  const old = join(intro, '03-integrity-risk-indicators.md');
  const text = readFileSync(old, 'utf8').replace(/^---\n/, `---\nid: ${CHECK}\n`);
  rmSync(old);
  writeFileSync(join(intro, '03-warning-signs.md'), text);
  // The designer mends the links the changes broke, as `check` asks.
  for (const file of markdownFiles(course)) {
    const before = readFileSync(file, 'utf8');
    const after = before
      .replaceAll('02-corruption-risk-mapping/', 'SWAP/').replaceAll('04-governance-framework/', '02-governance-framework/')
      .replaceAll('SWAP/', '04-corruption-risk-mapping/')
      .replaceAll('03-integrity-risk-indicators.md', '03-warning-signs.md')
      .replaceAll('02-rewards-and-sanctions.md', '01-staff-rotation.md');
    if (after !== before) writeFileSync(file, after);
  }
}

function markdownFiles(dir) {
  return readdirSync(dir, { recursive: true }).filter((name) => name.endsWith('.md')).map((name) => join(dir, name));
}

/** What an LMS hands the next launch after `exit = suspend`: everything it stored. */
const carry = {
  scorm12: ({ cmi }) => ({
    core: { entry: 'resume', lesson_status: cmi.core.lesson_status, lesson_location: cmi.core.lesson_location, score: { raw: cmi.core.score.raw } },
    suspend_data: cmi.suspend_data,
  }),
  scorm2004: ({ cmi }) => ({
    entry: 'resume', completion_status: cmi.completion_status, success_status: cmi.success_status, location: cmi.location,
    score: { scaled: cmi.score.scaled, raw: cmi.score.raw }, suspend_data: cmi.suspend_data,
  }),
};
const statusOf = {
  scorm12: ({ cmi }) => [cmi.core.lesson_status, cmi.core.score.raw],
  scorm2004: ({ cmi }) => [cmi.completion_status, cmi.success_status, cmi.score.raw],
};

for (const [standard, s] of Object.entries(STANDARDS)) {
  test(`${standard}: version 2 (page added, page removed, modules swapped, page renamed with id:) keeps what the learner did in version 1`, async () => {
    const course = join(scratchDir('update'), 'course');
    cpSync(sampleCourse, course, { recursive: true });
    const v1 = buildAndUnpack(course, standard);
    const pagesV1 = coursePages(v1);

    // Version 1: every page visited, the knowledge check answered, the assessment passed.
    let record;
    let checkAnswer;
    let score;
    const server1 = await startServer(v1, standard);
    try {
      const first = await openLms(browser, server1);
      await waitForPage(first.sco, pagesV1[0]);
      for (const id of pagesV1.slice(1)) {
        await first.sco.locator('#cp-next').click();
        await waitForPage(first.sco, id);
        const content = first.sco.frameLocator('#cp-frame');
        if (id === CHECK) {
          const q = (await quizData(content)).questions[0];
          await answer(content, q, true);
          await content.locator(`fieldset[data-question="${q.id}"] .cp-check`).click();
          checkAnswer = { id: q.id, chosen: await content.locator(`fieldset[data-question="${q.id}"] input:checked`).evaluateAll((inputs) => inputs.map((i) => i.value)) };
        }
        if (id === FINAL) score = (await takeAssessment(content, true)).score;
      }
      await closeSco(first.page, s.finish);
      assert.deepEqual(first.problems, []);
      assertCleanSession(await first.page.evaluate(() => window.calls), s);
      record = server1.commits.at(-1);
      await first.page.close();
    } finally {
      await server1.close();
    }
    assert.equal(score, 100);
    const held = statusOf[standard](record);
    assert.deepEqual(held, standard === 'scorm12' ? ['passed', '100'] : ['completed', 'passed', '100']);

    // Version 2, built with version 1's lock, launched with version 1's record.
    secondVersion(course);
    const v2 = buildAndUnpack(course, standard);
    const pagesV2 = coursePages(v2);
    assert.equal(pagesV2.length, pagesV1.length);
    assert.equal(pagesV2[0], ADDED);
    assert.ok(!pagesV2.includes(REMOVED));
    const kept = pagesV1.filter((id) => id !== REMOVED);
    const server2 = await startServer(v2, standard);
    try {
      const second = await openLms(browser, server2, carry[standard](record));
      await waitForPage(second.sco, record.cmi.core?.lesson_location ?? record.cmi.location);
      const ticked = await second.sco.locator('#cp-menu a.cp-visited').evaluateAll((links) => links.map((a) => a.dataset.page));
      assert.deepEqual(ticked.sort(), [...kept].sort(), 'the visited pages that still exist, and no other');
      assert.equal(await second.sco.locator('#cp-progress-label').textContent(), `${kept.length} of ${pagesV2.length} pages visited`);

      // The renamed knowledge check shows the learner's checked answer, under the same interaction id.
      await second.sco.locator(`#cp-menu a[data-page="${CHECK}"]`).click();
      await waitForPage(second.sco, CHECK);
      const content = second.sco.frameLocator('#cp-frame');
      const box = content.locator(`fieldset[data-question="${checkAnswer.id}"]`);
      await box.locator('.cp-retry').waitFor({ state: 'visible' });
      assert.deepEqual(await box.locator('input:checked').evaluateAll((inputs) => inputs.map((i) => i.value)), checkAnswer.chosen);
      assert.match(await box.locator('.cp-feedback').textContent(), /Correct/);

      // The assessment's passed attempt stands.
      await second.sco.locator(`#cp-menu a[data-page="${FINAL}"]`).click();
      await waitForPage(second.sco, FINAL);
      await content.locator('.cp-results').waitFor({ state: 'visible' });
      assert.match(await content.locator('.cp-results').textContent(), /Your score: 100%/);
      assert.match(await content.locator('.cp-results').textContent(), /Passed/);

      await closeSco(second.page, s.finish);
      assert.deepEqual(second.problems, []);
      const calls = await second.page.evaluate(() => window.calls);
      assertCleanSession(calls, s);
      // A page the learner has not seen yet is no reason to take back a completed course.
      assert.deepEqual(statusOf[standard](server2.commits.at(-1)), held, 'nothing the LMS held is lowered');
      const lowered = calls.filter((c) => c.name === s.set && c.args[0] === s.statusElement);
      assert.deepEqual(lowered, [], 'the status is not written again');
      const suspend = server2.commits.at(-1).cmi.suspend_data;
      assert.match(suspend, /^2\|[0-9a-z]+\|[A-Za-z0-9_-]+\|\{/);
      await second.page.close();
    } finally {
      await server2.close();
    }
  });
}

/** suspend_data as packages before coursepack.lock wrote it: by place in the sorted page ids, under their fingerprint. */
function version1State(pageIds, statesById) {
  const sorted = [...pageIds].sort();
  let hash = 0x811c9dc5;
  for (const c of sorted.join('\n')) {
    hash ^= c.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const bytes = Buffer.alloc(Math.ceil(sorted.length / 8));
  sorted.forEach((_, i) => { bytes[i >> 3] |= 1 << (i & 7); });
  const states = {};
  for (const [id, state] of Object.entries(statesById)) states[sorted.indexOf(id).toString(36)] = state;
  return `1|${hash.toString(36)}|${bytes.toString('base64url')}|${JSON.stringify(states)}`;
}

function pageQuiz(dir, id) {
  const html = readFileSync(join(dir, 'pages', `${id}.html`), 'utf8');
  return JSON.parse(html.match(/id="cp-quiz-data">([\s\S]*?)<\/script>/)[1]);
}

for (const [standard, s] of Object.entries(STANDARDS)) {
  test(`${standard}: a record saved by a package of before coursepack.lock is read when the pages are the same`, async () => {
    const dir = buildAndUnpack(sampleCourse, standard);
    const pages = coursePages(dir);
    const check = pageQuiz(dir, CHECK).questions;
    const final = pageQuiz(dir, FINAL).questions;
    const q = check[0];
    const old = version1State(pages, {
      [CHECK]: { f: quizScript.fingerprint(check), r: { 0: quizScript.encode(q, q.correct) }, k: { 0: 1 } },
      [FINAL]: { f: quizScript.fingerprint(final), a: 1, d: [...Array(12).keys()].map((i) => i.toString(36)).join(','), r: {}, o: {}, s: 1, c: 91.67, p: 1 },
    });
    const cmi = standard === 'scorm12'
      ? { core: { entry: 'resume', lesson_status: 'passed', lesson_location: CHECK, score: { raw: '91.67' } }, suspend_data: old }
      : { entry: 'resume', completion_status: 'completed', success_status: 'passed', location: CHECK, score: { raw: '91.67', scaled: '0.9167' }, suspend_data: old };
    const server = await startServer(dir, standard);
    try {
      const session = await openLms(browser, server, cmi);
      await waitForPage(session.sco, CHECK);
      assert.equal(await session.sco.locator('#cp-progress-label').textContent(), `${pages.length} of ${pages.length} pages visited`);
      const content = session.sco.frameLocator('#cp-frame');
      const box = content.locator(`fieldset[data-question="${q.id}"]`);
      await box.locator('.cp-retry').waitFor({ state: 'visible' });
      assert.deepEqual(await box.locator('input:checked').evaluateAll((inputs) => inputs.map((i) => Number(i.value))), q.correct);
      await session.sco.locator(`#cp-menu a[data-page="${FINAL}"]`).click();
      await waitForPage(session.sco, FINAL);
      await content.locator('.cp-results').waitFor({ state: 'visible' });
      assert.match(await content.locator('.cp-results').textContent(), /Your score: 91.67%/);
      assert.equal(await content.locator('fieldset.cp-question:not([hidden])').count(), 12, 'the attempt is reviewed question by question');
      await closeSco(session.page, s.finish);
      assert.deepEqual(session.problems, []);
      // Written back in this run-time's format, each page under its slot.
      const saved = server.commits.at(-1).cmi.suspend_data;
      const [format, , , json] = saved.split('|');
      assert.equal(format, '2');
      const slots = JSON.parse(readFileSync(join(dir, 'index.html'), 'utf8').match(/id="cp-data">([\s\S]*?)<\/script>/)[1]).pages;
      const slotOf = (id) => slots.find((p) => p.id === id).slot.toString(36);
      assert.deepEqual(JSON.parse(json)[slotOf(CHECK)], { r: { [q.slot.toString(36)]: quizScript.encode(q, q.correct) }, k: { [q.slot.toString(36)]: 1 } });
      await session.page.close();
    } finally {
      await server.close();
    }
  });
}
