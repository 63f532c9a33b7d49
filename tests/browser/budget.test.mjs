// suspend_data stays within its limit (SCORM 1.2: 4,096 characters, 2004: 64,000) for a course
// of 1,000 pages with a 200-question assessment, even with long free answers, and for the
// densest course: the run-time drops details, never exceeds the limit, and keeps the results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildAndUnpack, startServer, launchBrowser, openLms, waitForPage, closeSco, coursePages, assertCleanSession, scratchDir, STANDARDS, waitForCommit,
} from './harness.mjs';

/**
 * 20 modules × 50 pages. `assessments` says which: the last page one assessment of 200
 * questions, or every fifth page an assessment of its own single question (200 of them: the
 * most results a course of this size can ask the saved state to keep).
 */
function generateCourse(assessments) {
  const dir = join(scratchDir('budget'), 'course');
  mkdirSync(dir);
  writeFileSync(join(dir, 'course.toml'), '[course]\nid = "budget"\ntitle = "Budget"\nversion = "1"\nlanguage = "en"\n');
  for (let m = 1; m <= 20; m++) {
    const module = join(dir, `${String(m).padStart(2, '0')}-module-${m}`);
    mkdirSync(module);
    for (let p = 1; p <= 50; p++) {
      let text = `# Page ${m}.${p}\n\nSome text.\n`;
      if (assessments === 'one' && m === 20 && p === 50) {
        text = `+++\nassessment = true\n+++\n# Final\n\n\`\`\`quiz\n`;
        for (let q = 1; q <= 200; q++) {
          if (q % 4 === 0) text += `? Question ${q}: describe it.\n= an answer that is long enough to matter\n\n`;
          else if (q % 4 === 1) text += `? Question ${q}?\ntype: multiple\n- [x] a\n- [x] b\n- [ ] c\n- [ ] d\n\n`;
          else text += `? Question ${q}?\n- [ ] a\n- [x] b\n- [ ] c\n\n`;
        }
        text += '```\n';
      }
      if (assessments === 'every fifth page' && p % 5 === 0) {
        text = `+++\n[assessment]\nshuffle_options = true\n+++\n# Check ${m}.${p}\n\n\`\`\`quiz\n? Question ${m}.${p}: what is asked here, in words long enough to be realistic?\n- [ ] a\n- [x] b\n- [ ] c\n\`\`\`\n`;
      }
      writeFileSync(join(module, `${String(p).padStart(2, '0')}-page-${p}.md`), text);
    }
  }
  return dir;
}

/** The launch page's data: the lineage and each page's slot. */
function runtimeData(packageDir) {
  const html = readFileSync(join(packageDir, 'index.html'), 'utf8');
  return JSON.parse(html.match(/<script type="application\/json" id="cp-data">([\s\S]*?)<\/script>/)[1]);
}

/** The run-time's suspend_data (see coursepack.js) for every page visited, and `states` by page slot. */
function allVisited(packageDir, states) {
  const data = runtimeData(packageDir);
  const size = Math.max(...data.pages.map((p) => p.slot)) + 1;
  const bytes = Buffer.alloc(Math.ceil(size / 8));
  data.pages.forEach((p) => { bytes[p.slot >> 3] |= 1 << (p.slot & 7); });
  const head = `2|${data.lineage}|${bytes.toString('base64url')}`;
  return states ? `${head}|${JSON.stringify(states)}` : head;
}

// Long free answers overflow either limit: 50 answers of 100 characters pass 4,096, of 1,500
// characters 64,000.
const LIMITS = {
  scorm12: { limit: 4096, answer: 100, record: ({ cmi }) => [cmi.core.score.raw, cmi.core.lesson_status], resume: (final, saved) => ({ core: { entry: 'resume', lesson_status: 'failed', lesson_location: final }, suspend_data: saved }) },
  scorm2004: { limit: 64000, answer: 1500, record: ({ cmi }) => [cmi.score.raw, cmi.success_status], resume: (final, saved) => ({ entry: 'resume', completion_status: 'completed', success_status: 'failed', location: final, suspend_data: saved }) },
};

for (const [standard, { limit, answer, record, resume }] of Object.entries(LIMITS)) {
  test(`${standard}: 1,000 pages and 200 answered questions fit in ${limit.toLocaleString('en')} characters of suspend_data`, async () => {
    const dir = buildAndUnpack(generateCourse('one'), standard);
    const pages = coursePages(dir);
    assert.equal(pages.length, 1000);
    const final = pages.at(-1);
    const server = await startServer(dir, standard);
    const browser = await launchBrowser();
    try {
      // Every page visited already (the bitset is full), resuming at the assessment.
      const start = standard === 'scorm12' ? { core: { entry: 'resume', lesson_location: final } } : { entry: 'resume', location: final };
      const first = await openLms(browser, server, { ...start, suspend_data: allVisited(dir) }, 'index.html', { largeRecords: true });
      await waitForPage(first.sco, final);
      const content = first.sco.frameLocator('#cp-frame');
      await content.locator('.cp-quiz-status').filter({ hasText: 'Attempt 1.' }).waitFor();
      // Answer all 200 questions, the free ones at length, as fast as a script can.
      await content.locator('form.cp-quiz-form').evaluate((form, length) => {
        form.querySelectorAll('.cp-question').forEach((box) => {
          box.querySelectorAll('input[type=checkbox]').forEach((input, i) => { input.checked = i < 2; });
          const radio = box.querySelector('input[type=radio][value="1"]');
          if (radio) radio.checked = true;
          const text = box.querySelector('.cp-answer');
          if (text) text.value = `An answer that is long enough to matter ${box.dataset.question} `.padEnd(length, 'and more ');
        });
        form.dispatchEvent(new Event('change'));
      }, answer);
      await content.locator('.cp-submit').click();
      await content.locator('.cp-results').waitFor({ state: 'visible' });
      const committed = server.commits.length;
      await closeSco(first.page, STANDARDS[standard].finish);
      await waitForCommit(server, committed);
      const calls = await first.page.evaluate(() => window.calls);
      assertCleanSession(calls, STANDARDS[standard]);
      const writes = calls.filter((c) => c.name === STANDARDS[standard].set && c.args[0] === 'cmi.suspend_data');
      const longest = Math.max(...writes.map((c) => c.args[1].length));
      assert.ok(longest <= limit, `suspend_data reached ${longest} characters`);
      const last = server.commits.at(-1);
      assert.equal(Object.keys(last.cmi.interactions).length, 200);
      assert.deepEqual(record(last), ['75', 'failed']);
      const saved = last.cmi.suspend_data;
      console.log(`${standard}: suspend_data ${saved.length} of ${limit} characters after 200 answers (longest write ${longest})`);
      assert.ok(saved.length <= limit);
      assert.ok(!saved.includes('and more'), 'the submitted attempt\'s answers were the detail that went');
      await first.page.close();

      // Relaunch: the submitted attempt and its score come back, even without every answer.
      const second = await openLms(browser, server, resume(final, saved));
      await waitForPage(second.sco, final);
      const again = second.sco.frameLocator('#cp-frame');
      await again.locator('.cp-results').waitFor({ state: 'visible' });
      assert.match(await again.locator('.cp-results').textContent(), /Your score: 75%/);
      assert.equal(await second.sco.locator('#cp-progress-label').textContent(), '1,000 of 1,000 pages visited');
      await second.page.close();
    } finally {
      await browser.close();
      await server.close();
    }
  });
}

test('scorm12: at the limit, 200 assessment results are the last thing kept, with every page visited', async () => {
  const dir = buildAndUnpack(generateCourse('every fifth page'), 'scorm12');
  const data = runtimeData(dir);
  assert.equal(data.pages.length, 1000);
  const assessments = data.pages.filter((p) => p.kind === 'assessment');
  assert.equal(assessments.length, 200);
  const slotOfQuestion = (page) => {
    const html = readFileSync(join(dir, page.href), 'utf8');
    const quiz = JSON.parse(html.match(/id="cp-quiz-data">([\s\S]*?)<\/script>/)[1]);
    return quiz.questions[0].slot.toString(36);
  };
  // Saved earlier: 199 assessments taken 12 times, the last attempt passed, each with its
  // answer and option order (far more than 4,096 characters in all, as a long-running
  // learner's state grows); the last assessment is still to be taken.
  const states = {};
  for (const page of assessments.slice(0, -1)) {
    const q = slotOfQuestion(page);
    states[page.slot.toString(36)] = { a: 12, d: q, r: { [q]: 'b' }, o: { [q]: 'cab' }, s: 1, c: 100, p: 1 };
  }
  const last = assessments.at(-1);
  const server = await startServer(dir, 'scorm12');
  const browser = await launchBrowser();
  try {
    const first = await openLms(browser, server, { core: { entry: 'resume', lesson_location: last.id }, suspend_data: allVisited(dir, states) });
    await waitForPage(first.sco, last.id);
    const content = first.sco.frameLocator('#cp-frame');
    await content.locator('.cp-quiz-status').filter({ hasText: 'Attempt 1.' }).waitFor();
    await content.locator('input[type=radio][value="0"]').check();
    await content.locator('.cp-submit').click();
    await content.locator('.cp-results').waitFor({ state: 'visible' });
    await closeSco(first.page, 'LMSFinish');
    assertCleanSession(await first.page.evaluate(() => window.calls), STANDARDS.scorm12);
    const saved = server.commits.at(-1).cmi.suspend_data;
    console.log(`suspend_data at the limit: ${saved.length} characters for 1,000 pages and 200 assessment results`);
    assert.ok(saved.length <= 4096, `suspend_data is ${saved.length} characters`);
    const kept = JSON.parse(saved.split('|').slice(3).join('|'));
    assert.equal(Object.keys(kept).length, 200, 'every assessment keeps its result');
    assert.deepEqual(kept[assessments[0].slot.toString(36)], [12, 100, 1]);
    assert.deepEqual(kept[last.slot.toString(36)], [1, 0, 0]);
    await first.page.close();

    // Relaunch: every page still visited; each assessment shows its result and its attempt count.
    const second = await openLms(browser, server, { core: { entry: 'resume', lesson_status: 'failed', lesson_location: assessments[0].id }, suspend_data: saved });
    await waitForPage(second.sco, assessments[0].id);
    assert.equal(await second.sco.locator('#cp-progress-label').textContent(), '1,000 of 1,000 pages visited');
    const again = second.sco.frameLocator('#cp-frame');
    await again.locator('.cp-results').waitFor({ state: 'visible' });
    assert.match(await again.locator('.cp-results').textContent(), /Your score: 100%.*Passed/s);
    await second.sco.locator(`#cp-menu a[data-page="${last.id}"]`).click();
    await waitForPage(second.sco, last.id);
    await again.locator('.cp-results').waitFor({ state: 'visible' });
    assert.match(await again.locator('.cp-results').textContent(), /Your score: 0%/);
    await again.locator('.cp-retry-all').click();
    await again.locator('.cp-quiz-status').filter({ hasText: 'Attempt 2.' }).waitFor();
    await second.page.close();
  } finally {
    await browser.close();
    await server.close();
  }
});
