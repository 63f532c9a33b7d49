// Quizzes in headless Chromium against scorm-again: the final assessment passed and failed,
// attempts exhausted, resumed mid-assessment, a survey and a knowledge check, with the
// score, status and interactions the LMS back end received.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  buildAndUnpack, startServer, launchBrowser, openLms, waitForPage, closeSco, coursePages, sampleCourse,
  STANDARDS, assertCleanSession, scratchDir,
} from './harness.mjs';
import { quizData, visibleQuestions, answer, takeAssessment } from './quiz-helpers.mjs';

const FINAL = 'final-assessment/final-assessment';
const SURVEY = 'final-assessment/integrity-survey';
const TYPES = {
  single: 'choice', multiple: 'choice', 'true-false': 'true-false', 'fill-in': 'fill-in', numeric: 'numeric',
  matching: 'matching', ordering: 'sequencing', likert: 'likert',
};

let browser;
const packages = {};
before(async () => {
  browser = await launchBrowser();
  for (const standard of ['scorm12', 'scorm2004']) packages[standard] = buildAndUnpack(sampleCourse, standard);
});
after(async () => { await browser?.close(); });

async function withLms(name, cmi, body, refuse = []) {
  const standard = name === 'objectives' ? 'scorm2004' : name;
  const server = await startServer(packages[name], standard);
  try {
    const session = await openLms(browser, server, cmi, 'index.html', { refuse });
    await body({ ...session, server, content: session.sco.frameLocator('#cp-frame'), pages: coursePages(packages[name]) });
    assert.deepEqual(session.problems, []);
    await session.page.close();
  } finally {
    await server.close();
  }
}

async function goTo(sco, id) {
  await sco.locator(`#cp-menu a[data-page="${id}"]`).click();
  await waitForPage(sco, id);
}

async function visitAll(sco, pages) {
  await waitForPage(sco, pages[0]);
  for (const id of pages.slice(1)) {
    await sco.locator('#cp-next').click();
    await waitForPage(sco, id);
  }
}

const interactionsOf = (cmi) => Object.values(cmi.interactions);

for (const standard of ['scorm12', 'scorm2004']) {
  test(`${standard}: the final assessment answered rightly is passed with every interaction reported`, async () => {
    await withLms(standard, {}, async ({ sco, content, page, server, pages }) => {
      await visitAll(sco, pages);
      await goTo(sco, FINAL);
      const before = (await page.evaluate(() => window.calls)).length;
      const { data, ids } = await takeAssessment(content, true);
      const during = (await page.evaluate(() => window.calls)).slice(before);
      const commits = during.filter((c) => c.name === STANDARDS[standard].commit).length;
      const seconds = (during.at(-1).at - during[0].at) / 1000;
      // Answers are batched, one commit every 3 s at most; the submission commits at once
      // (in 1.2 twice: the final status, then the score).
      assert.ok(commits <= Math.ceil(seconds / 3) + 2, `${commits} commits in ${seconds} s of answering`);
      assert.equal(ids.length, 12, 'twelve questions drawn');
      assert.equal(data.questions.length, 18, 'from a bank of eighteen');
      assert.ok(new Set(ids.map((id) => data.questions.find((q) => q.id === id).kind)).size >= 5, 'at least five question types');
      assert.match(await content.locator('.cp-results').textContent(), /Your score: 100% \(pass mark 80%\)\.[\s\S]*Passed\./);
      await closeSco(page, STANDARDS[standard].finish);
      assertCleanSession(await page.evaluate(() => window.calls), STANDARDS[standard]);
      const { cmi } = server.commits.at(-1);
      const interactions = interactionsOf(cmi);
      assert.deepEqual(interactions.map((i) => i.id).sort(), [...ids].sort());
      for (const i of interactions) {
        const q = data.questions.find((x) => x.id === i.id);
        assert.equal(i.type, TYPES[q.kind], i.id);
        assert.equal(i.result, 'correct', i.id);
        assert.equal(i.weighting, '1');
        const response = standard === 'scorm12' ? i.student_response : i.learner_response;
        assert.equal(response, i.correct_responses[0].pattern.replace(/\[:\].*$/, '').replace(/^indicator$/, 'INDICATOR').replace(/^Arusha$/, 'ARUSHA'), i.id);
        assert.match(i.latency, STANDARDS[standard].sessionTime);
      }
      if (standard === 'scorm12') {
        assert.equal(cmi.core.lesson_status, 'passed');
        assert.deepEqual(cmi.core.score, { raw: '100', min: '0', max: '100' });
        assert.ok(interactions.every((i) => /^\d\d:\d\d:\d\d$/.test(i.time)));
        // Moodle 4.3.0 recounts completion only for a score stored after the final status:
        // the status is committed first, the score in a commit of its own after it.
        const calls = await page.evaluate(() => window.calls);
        const passedAt = calls.findIndex((c) => c.name === 'LMSSetValue' && c.args[0] === 'cmi.core.lesson_status' && c.args[1] === 'passed');
        const scoreAt = calls.findIndex((c) => c.name === 'LMSSetValue' && c.args[0] === 'cmi.core.score.raw');
        assert.ok(passedAt >= 0 && scoreAt > passedAt, 'the score is set after the final status');
        assert.ok(calls.slice(passedAt, scoreAt).some((c) => c.name === 'LMSCommit'), 'a commit stands between them');
      } else {
        assert.equal(cmi.completion_status, 'completed');
        assert.equal(cmi.success_status, 'passed');
        assert.deepEqual(cmi.score, { scaled: '1', raw: '100', min: '0', max: '100' });
        assert.ok(interactions.every((i) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(i.timestamp)));
        assert.ok(interactions.every((i) => i.description.length > 0 && i.description.length <= 250));
      }
    });
  });
}

for (const standard of ['scorm12', 'scorm2004']) {
  test(`${standard}: one interaction the LMS refuses loses no later answer`, async () => {
    await withLms(standard, {}, async ({ sco, content, page, server }) => {
      await waitForPage(sco, coursePages(packages[standard])[0]);
      await goTo(sco, FINAL);
      const { ids } = await takeAssessment(content, true);
      await closeSco(page, STANDARDS[standard].finish);
      const { cmi } = server.commits.at(-1);
      // The refused first record is dropped; the next index comes from the LMS's _count again.
      assert.deepEqual(interactionsOf(cmi).map((i) => i.id), ids.slice(1));
    }, ['cmi.interactions.0.id']);
  });
}

test('scorm2004: scaled scores are exact to their four decimals', async () => {
  await withLms('scorm2004', {}, async ({ sco, content, page, server }) => {
    await waitForPage(sco, coursePages(packages.scorm2004)[0]);
    await goTo(sco, FINAL);
    // Two right of twelve, weights aside, is not a round fraction.
    const { score } = await takeAssessment(content, (i) => i < 2);
    await closeSco(page, STANDARDS.scorm2004.finish);
    const { cmi } = server.commits.at(-1);
    assert.equal(cmi.score.raw, String(score));
    assert.equal(cmi.score.scaled, String(Math.round(score * 100) / 10000));
    assert.match(cmi.score.scaled, /^0\.\d{1,4}$/, `no floating-point noise: ${cmi.score.scaled}`);
  });
});

test('scorm12: wrong answers fail, and three attempts exhaust the assessment', async () => {
  await withLms('scorm12', {}, async ({ sco, content, page, server }) => {
    await waitForPage(sco, coursePages(packages.scorm12)[0]);
    await goTo(sco, FINAL);
    const drawn = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      assert.equal(await content.locator('.cp-quiz-status').textContent(), `Attempt ${attempt} of 3.`);
      const { ids } = await takeAssessment(content, false);
      drawn.push(ids);
      assert.match(await content.locator('.cp-results').textContent(), /Your score: 0% [\s\S]*Not passed\./);
      const retry = content.locator('.cp-retry-all');
      if (attempt < 3) {
        await retry.click();
        await content.locator('.cp-results').waitFor({ state: 'hidden' });
      } else {
        assert.equal(await retry.isHidden(), true, 'no attempt left');
        assert.match(await content.locator('.cp-results').textContent(), /No attempts left\./);
      }
    }
    assert.ok(drawn[0].join() !== drawn[1].join() || drawn[1].join() !== drawn[2].join(), 'each attempt draws anew');
    await closeSco(page, 'LMSFinish');
    const { cmi } = server.commits.at(-1);
    assert.equal(cmi.core.lesson_status, 'failed');
    assert.equal(cmi.core.score.raw, '0');
    const interactions = interactionsOf(cmi);
    assert.equal(interactions.length, 36);
    assert.ok(interactions.every((i) => i.result === 'wrong'));
    assert.equal(cmi.core.exit, 'suspend');
  });
});

test('scorm2004: a learner resumes mid-assessment with the same questions and answers', async () => {
  let saved;
  let shown;
  let answered;
  await withLms('scorm2004', {}, async ({ sco, content, page, server }) => {
    await waitForPage(sco, coursePages(packages.scorm2004)[0]);
    await goTo(sco, FINAL);
    const data = await quizData(content);
    shown = await visibleQuestions(content);
    answered = shown.slice(0, 5);
    for (const id of answered) await answer(content, data.questions.find((q) => q.id === id), true);
    // The launch page has saved all five answers before the LMS closes it.
    await page.waitForFunction(() => {
      const saved = window.calls.filter((c) => c.name === 'SetValue' && c.args[0] === 'cmi.suspend_data').at(-1);
      return saved && Object.keys(Object.values(JSON.parse(saved.args[1].split('|').slice(3).join('|') || '{}'))[0]?.r || {}).length === 5;
    });
    await closeSco(page, 'Terminate');
    saved = server.commits.at(-1).cmi;
    assert.equal(saved.exit, 'suspend');
    assert.equal(saved.success_status, 'unknown');
    assert.deepEqual(saved.interactions, {}, 'nothing is reported before submission');
  });
  const resume = { entry: 'resume', completion_status: saved.completion_status, location: saved.location, suspend_data: saved.suspend_data };
  await withLms('scorm2004', resume, async ({ sco, content, page, server }) => {
    await waitForPage(sco, FINAL);
    await content.locator('.cp-quiz-status').filter({ hasText: 'Attempt 1 of 3.' }).waitFor();
    assert.deepEqual(await visibleQuestions(content), shown, 'the same draw, in the same order');
    const data = await quizData(content);
    // Answer the rest; the five restored answers must still count.
    for (const id of shown.slice(5)) await answer(content, data.questions.find((q) => q.id === id), true);
    await content.locator('.cp-submit').click();
    await content.locator('.cp-results').waitFor({ state: 'visible' });
    assert.match(await content.locator('.cp-results').textContent(), /Your score: 100%/);
    await closeSco(page, 'Terminate');
    const { cmi } = server.commits.at(-1);
    assert.equal(cmi.success_status, 'passed');
    assert.equal(Object.keys(cmi.interactions).length, 12);
  });
});

test('scorm12: a survey reports likert and text answers, with no score', async () => {
  await withLms('scorm12', {}, async ({ sco, content, page, server }) => {
    await waitForPage(sco, coursePages(packages.scorm12)[0]);
    await goTo(sco, SURVEY);
    const data = await quizData(content);
    for (const q of data.questions) await answer(content, q, true);
    await content.locator('.cp-submit').click();
    await content.locator('.cp-results').waitFor({ state: 'visible' });
    assert.match(await content.locator('.cp-results').textContent(), /Thank you/);
    await closeSco(page, 'LMSFinish');
    const { cmi } = server.commits.at(-1);
    const interactions = interactionsOf(cmi);
    assert.deepEqual(interactions.map((i) => [i.id, i.type, i.student_response, i.result]), [
      ['survey-code-gifts', 'likert', 'd', 'neutral'],
      ['survey-safe-reporting', 'likert', 'd', 'neutral'],
      ['survey-training-useful', 'likert', 'd', 'neutral'],
      ['survey-one-change', 'fill-in', 'Publish the rotation rules.', 'neutral'],
    ]);
    assert.ok(interactions.every((i) => Object.keys(i.correct_responses).length === 0));
    assert.equal(cmi.core.score.raw, '', 'a survey is never scored');
    assert.equal(cmi.core.lesson_status, 'incomplete');
  });
});

test('scorm2004: a knowledge check gives feedback at once and is reported unscored', async () => {
  await withLms('scorm2004', {}, async ({ sco, content, page, server }) => {
    await waitForPage(sco, coursePages(packages.scorm2004)[0]);
    await goTo(sco, 'introduction/integrity-risk-indicators');
    const data = await quizData(content);
    const q = data.questions[0];
    const box = content.locator(`fieldset[data-question="${q.id}"]`);
    await box.locator('.cp-check').click();
    assert.match(await box.locator('.cp-feedback').textContent(), /Answer the question first/);
    await answer(content, q, false);
    await box.locator('.cp-check').click();
    assert.match(await box.locator('.cp-feedback').textContent(), /Not quite|Partly right/);
    assert.match(await box.locator('.cp-feedback').textContent(), /Reluctance to take leave is the warning sign/);
    await box.locator('.cp-retry').click();
    const wrong = [...Array(q.options).keys()].find((i) => !q.correct.includes(i));
    await box.locator(`input[value="${wrong}"]`).uncheck();
    await answer(content, q, true);
    await box.locator('.cp-check').click();
    assert.match(await box.locator('.cp-feedback').textContent(), /Correct\. Yes: overrides/);
    await closeSco(page, 'Terminate');
    const { cmi } = server.commits.at(-1);
    const results = Object.values(cmi.interactions).map((i) => [i.id, i.type, i.learner_response, i.result]);
    assert.deepEqual(results, [
      [q.id, 'choice', 'c', 'incorrect'],
      [q.id, 'choice', 'a[,]b[,]d', 'correct'],
    ]);
    assert.equal(cmi.score.raw, '', 'knowledge checks are not scored');
    assert.equal(cmi.success_status, 'unknown');
  });
});

test('scorm2004 with completion = "assessment" and objectives: the assessment completes the course', async () => {
  const { cpSync, readFileSync: read, writeFileSync: write } = await import('node:fs');
  const { join } = await import('node:path');
  const copy = join(scratchDir('objectives'), 'course');
  cpSync(sampleCourse, copy, { recursive: true });
  const toml = join(copy, 'course.toml');
  write(toml, read(toml, 'utf8').replace('completion = "pages"', 'completion = "assessment"\nobjectives = true'));
  packages.objectives = buildAndUnpack(copy, 'scorm2004');
  await withLms('objectives', {}, async ({ sco, content, page, server }) => {
    await waitForPage(sco, coursePages(packages.objectives)[0]);
    await goTo(sco, FINAL);
    await takeAssessment(content, true);
    await closeSco(page, 'Terminate');
    const { cmi } = server.commits.at(-1);
    assert.equal(cmi.completion_status, 'completed', 'submitted: complete without visiting every page');
    assert.equal(cmi.success_status, 'passed');
    assert.equal(cmi.exit, 'normal');
    const objectives = Object.values(cmi.objectives);
    assert.equal(objectives.length, 1);
    assert.equal(objectives[0].id, 'assessment-final-assessment-final-assessment');
    assert.equal(objectives[0].success_status, 'passed');
    assert.equal(objectives[0].score.scaled, '1');
  });
});

test('scorm12: a mastery score supplied by the LMS wins over the course pass mark', async () => {
  await withLms('scorm12', { student_data: { mastery_score: '95' } }, async ({ sco, content, page, server }) => {
    await waitForPage(sco, coursePages(packages.scorm12)[0]);
    await goTo(sco, FINAL);
    const data = await quizData(content);
    const ids = await visibleQuestions(content);
    for (const [i, id] of ids.entries()) await answer(content, data.questions.find((q) => q.id === id), i > 0);
    await content.locator('.cp-submit').click();
    await content.locator('.cp-results').waitFor({ state: 'visible' });
    assert.match(await content.locator('.cp-results').textContent(), /Your score: 91\.67% \(pass mark 95%\)\.[\s\S]*Not passed\./);
    await closeSco(page, 'LMSFinish');
    const { cmi } = server.commits.at(-1);
    assert.equal(cmi.core.score.raw, '91.67');
    assert.equal(cmi.core.lesson_status, 'failed');
  });
});

test('scorm12: text between the quiz blocks of an assessment stays with the questions it introduces', async () => {
  const course = scratchDir('between');
  const write = (path, text) => {
    mkdirSync(dirname(join(course, path)), { recursive: true });
    writeFileSync(join(course, path), text);
  };
  write('course.toml', '[course]\nid = "between"\ntitle = "Between"\nversion = "1.0.0"\nlanguage = "en"\n');
  write('coursepack.lock', 'lineage = "new"\npages = []\nquestions = []\n');
  write('01-check/01-final.md', [
    '---', 'title: Final check', 'assessment: true', '---', '',
    '```quiz', '? Which document proves origin?', '- [x] A certificate of origin', '- [ ] A packing list', '```', '',
    'The next question is about box 46.', '',
    '```quiz', '? Which box gives the customs value?', '= 46', '```', '',
  ].join('\n'));
  const dir = buildAndUnpack(course, 'scorm12');
  const server = await startServer(dir, 'scorm12');
  try {
    const session = await openLms(browser, server, {}, 'index.html');
    const content = session.sco.frameLocator('#cp-frame');
    await content.locator('.cp-quiz-status').filter({ hasText: /^Attempt / }).waitFor();
    const order = await content.locator('form.cp-quiz-form > fieldset, form.cp-quiz-form > p').evaluateAll(
      (nodes) => nodes.map((n) => n.dataset.question || n.className || n.textContent.trim()));
    assert.deepEqual(order, ['cp-quiz-status', 'check-final-1', 'The next question is about box 46.', 'check-final-2', 'cp-quiz-actions']);
    const { score } = await takeAssessment(content, true);
    assert.equal(score, 100);
    assert.deepEqual(session.problems, []);
    await session.page.close();
  } finally {
    await server.close();
  }
});
