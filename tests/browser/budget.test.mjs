// suspend_data stays within SCORM 1.2's 4,096 characters for a course of 1,000 pages with a
// 200-question assessment, even with long free answers: the run-time drops details, never
// exceeds the limit, and still resumes the attempt's result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildAndUnpack, startServer, launchBrowser, openLms, waitForPage, closeSco, coursePages, assertCleanSession, scratchDir, STANDARDS,
} from './harness.mjs';

/** 20 modules × 50 pages; the last page is an assessment of 200 questions. */
function generateCourse() {
  const dir = join(scratchDir('budget'), 'course');
  mkdirSync(dir);
  writeFileSync(join(dir, 'course.toml'), '[course]\nid = "budget"\ntitle = "Budget"\nversion = "1"\nlanguage = "en"\n');
  for (let m = 1; m <= 20; m++) {
    const module = join(dir, `${String(m).padStart(2, '0')}-module-${m}`);
    mkdirSync(module);
    for (let p = 1; p <= 50; p++) {
      const last = m === 20 && p === 50;
      let text = `# Page ${m}.${p}\n\nSome text.\n`;
      if (last) {
        text = `+++\nassessment = true\n+++\n# Final\n\n\`\`\`quiz\n`;
        for (let q = 1; q <= 200; q++) {
          if (q % 4 === 0) text += `? Question ${q}: describe it.\n= an answer that is long enough to matter\n\n`;
          else if (q % 4 === 1) text += `? Question ${q}?\ntype: multiple\n- [x] a\n- [x] b\n- [ ] c\n- [ ] d\n\n`;
          else text += `? Question ${q}?\n- [ ] a\n- [x] b\n- [ ] c\n\n`;
        }
        text += '```\n';
      }
      writeFileSync(join(module, `${String(p).padStart(2, '0')}-page-${p}.md`), text);
    }
  }
  return dir;
}

/** The run-time's suspend_data for "every page visited" (see coursepack.js). */
function allVisited(pages) {
  const ids = [...pages].sort();
  let hash = 0x811c9dc5;
  for (const c of ids.join('\n')) {
    hash ^= c.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const bytes = Buffer.alloc(Math.ceil(ids.length / 8));
  ids.forEach((_, i) => { bytes[i >> 3] |= 1 << (i & 7); });
  return `1|${hash.toString(36)}|${bytes.toString('base64url')}`;
}

test('scorm12: 1,000 pages and 200 answered questions fit in 4,096 characters of suspend_data', async () => {
  const dir = buildAndUnpack(generateCourse(), 'scorm12');
  const pages = coursePages(dir);
  assert.equal(pages.length, 1000);
  const final = pages.at(-1);
  const server = await startServer(dir, 'scorm12');
  const browser = await launchBrowser();
  try {
    // Every page visited already (the bitset is full), resuming at the assessment.
    const first = await openLms(browser, server, { core: { entry: 'resume', lesson_location: final }, suspend_data: allVisited(pages) });
    await waitForPage(first.sco, final);
    const content = first.sco.frameLocator('#cp-frame');
    await content.locator('.cp-quiz-status').filter({ hasText: 'Attempt 1.' }).waitFor();
    // Answer all 200 questions with long answers, as fast as a script can.
    await content.locator('form.cp-quiz-form').evaluate((form) => {
      form.querySelectorAll('.cp-question').forEach((box) => {
        box.querySelectorAll('input[type=checkbox]').forEach((input, i) => { input.checked = i < 2; });
        const radio = box.querySelector('input[type=radio][value="1"]');
        if (radio) radio.checked = true;
        const text = box.querySelector('.cp-answer');
        if (text) text.value = 'An answer that is long enough to matter ' + box.dataset.question;
      });
      form.dispatchEvent(new Event('change'));
    });
    await content.locator('.cp-submit').click();
    await content.locator('.cp-results').waitFor({ state: 'visible' });
    await closeSco(first.page, 'LMSFinish');
    assertCleanSession(await first.page.evaluate(() => window.calls), STANDARDS.scorm12);
    const writes = (await first.page.evaluate(() => window.calls)).filter((c) => c.name === 'LMSSetValue' && c.args[0] === 'cmi.suspend_data');
    const longest = Math.max(...writes.map((c) => c.args[1].length));
    assert.ok(longest <= 4096, `suspend_data reached ${longest} characters`);
    const { cmi } = server.commits.at(-1);
    assert.equal(Object.keys(cmi.interactions).length, 200);
    assert.equal(cmi.core.score.raw, '75');
    assert.equal(cmi.core.lesson_status, 'failed');
    const saved = cmi.suspend_data;
    assert.ok(saved.length <= 4096);
    await first.page.close();

    // Relaunch: the submitted attempt and its score come back, even without every answer.
    const second = await openLms(browser, server, { core: { entry: 'resume', lesson_status: 'failed', lesson_location: final }, suspend_data: saved });
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
