// Accessibility and languages in headless Chromium: axe-core (WCAG 2.1 A and AA rules) on
// every page type of the sample course built in English, Ukrainian and Arabic; the final
// assessment completed with the keyboard alone; reflow at 320 CSS px; Arabic mirrored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  buildAndUnpack, startServer, launchBrowser, openLms, openPage, waitForPage, closeSco, sampleCourse, scratchDir, STANDARDS,
} from './harness.mjs';
import { quizData, visibleQuestions, answer } from './quiz-helpers.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const CHECK = 'introduction/what-is-internal-risk';
const FINAL = 'final-assessment/final-assessment';
const SURVEY = 'final-assessment/integrity-survey';

/** The sample course with another `language` (the player's strings and direction follow). */
function sampleIn(language) {
  const dir = join(scratchDir('lang'), 'course');
  cpSync(sampleCourse, dir, { recursive: true });
  const toml = join(dir, 'course.toml');
  writeFileSync(toml, readFileSync(toml, 'utf8').replace('language = "en"', `language = "${language}"`));
  return dir;
}

let browser;
const packages = {};
before(async () => {
  browser = await launchBrowser();
  for (const language of ['en', 'uk', 'ar']) {
    packages[language] = buildAndUnpack(language === 'en' ? sampleCourse : sampleIn(language), 'scorm12');
  }
});
after(async () => { await browser?.close(); });

/** axe-core's WCAG 2.1 A/AA violations in one frame, readable in a failure message. */
async function violations(frame) {
  await frame.evaluate(axeSource);
  return frame.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, iframes: false });
    if (result.passes.length < 5) throw new Error(`axe checked almost nothing: ${result.passes.length} rules passed`);
    return result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, WCAG);
}

const frameNamed = (page, name) => page.frames().find((f) => f.name() === name);
const scoFrame = (page) => page.frames().find((f) => f.url().includes('/pkg/index.html'));

async function goTo(sco, id) {
  await sco.locator(`#cp-menu a[data-page="${id}"]`).click();
  await waitForPage(sco, id);
}

for (const language of ['en', 'uk', 'ar']) {
  test(`${language}: no WCAG 2.1 A/AA violation on the menu, a content page, a callout with math, a knowledge check, the assessment, its results and the survey`, async () => {
    const server = await startServer(packages[language], 'scorm12');
    try {
      const { page, sco, problems } = await openLms(browser, server);
      const content = sco.frameLocator('#cp-frame');
      await waitForPage(sco, 'introduction/welcome');
      const found = {};
      found['menu and launch page'] = await violations(scoFrame(page));
      found['content page'] = await violations(frameNamed(page, 'cp-content'));

      await goTo(sco, 'corruption-risk-mapping/assess-likelihood-and-impact');
      assert.equal(await content.locator('.callout-tip .callout-label').count(), 1, 'the tip has its label');
      assert.ok(await content.locator('math').count() >= 1, 'the formula is MathML');
      found['callout and math'] = await violations(frameNamed(page, 'cp-content'));

      await goTo(sco, CHECK);
      const check = content.locator('.cp-quiz[data-mode="check"] fieldset').first();
      await check.locator('.cp-check').click();
      await check.locator('.cp-feedback').filter({ hasText: /\S/ }).waitFor();
      found['knowledge check with feedback'] = await violations(frameNamed(page, 'cp-content'));

      await goTo(sco, FINAL);
      found.assessment = await violations(frameNamed(page, 'cp-content'));
      const data = await quizData(content);
      for (const id of await visibleQuestions(content)) await answer(content, data.questions.find((q) => q.id === id), true);
      await content.locator('.cp-submit').click();
      await content.locator('.cp-results').waitFor({ state: 'visible' });
      found['assessment results'] = await violations(frameNamed(page, 'cp-content'));

      await goTo(sco, SURVEY);
      found.survey = await violations(frameNamed(page, 'cp-content'));
      const survey = await quizData(content);
      for (const q of survey.questions) await answer(content, q, true);
      await content.locator('.cp-submit').click();
      await content.locator('.cp-results').waitFor({ state: 'visible' });
      found['survey sent'] = await violations(frameNamed(page, 'cp-content'));

      for (const [where, list] of Object.entries(found)) assert.deepEqual(list, [], `${language} ${where}`);
      assert.deepEqual(problems, []);
      await page.close();
    } finally {
      await server.close();
    }
  });
}

// ---------------------------------------------------------------------------------------
// Keyboard only: Tab / Shift+Tab to reach a control, Space / Enter / arrow keys / typing to
// operate it. No click, no fill, no selectOption.

/** A course whose assessment has one question of every graded type, options shuffled. */
function everyTypeCourse(language) {
  const dir = join(scratchDir('keys'), 'course');
  mkdirSync(join(dir, '01-exam'), { recursive: true });
  writeFileSync(join(dir, 'course.toml'), `[course]\nid = "keys"\ntitle = "Keyboard"\nversion = "1.0.0"\nlanguage = "${language}"\ncompletion = "assessment"\n`);
  writeFileSync(join(dir, '01-exam/01-exam.md'), `+++
title = "Exam"

[assessment]
attempts = 2
shuffle_options = true
+++

# Exam

\`\`\`quiz
? Pick the second planet.
id: single
- [ ] Mercury
- [x] Venus
- [ ] Earth

? Pick the two even numbers.
id: multiple
type: multiple
- [x] 2
- [ ] 3
- [x] 4
- [ ] 5

? Water boils at 100 °C at sea level.
id: truefalse
= true

? Name the colour of a clear daytime sky.
id: fillin
= blue

? How many sides has a hexagon?
id: numeric
= 6

? Match each country to its capital.
id: matching
- France -> Paris
- Spain -> Madrid
- Ukraine -> Kyiv

? Put the numbers in ascending order.
id: ordering
1. one
2. two
3. three
4. four
\`\`\`
`);
  return dir;
}

/** What has the focus inside the content frame, as a short description. */
const focused = (frame) => frame.evaluate(() => {
  const el = document.activeElement;
  return el ? `${el.tagName} ${el.getAttribute('name') || ''} ${el.value ?? ''} ${el.className}` : 'none';
});

/** Presses Tab (or Shift+Tab) until the element matching `selector` in `frame` has focus. */
async function tabTo(page, frame, selector) {
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let i = 0; i < 60; i++) {
      if (await frame.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await page.keyboard.press(key);
    }
  }
  throw new Error(`cannot reach ${selector} with the keyboard (focus: ${await focused(frame)})`);
}

/** Options of a radio group, checkbox list or select, by value, in the order shown. */
const shownValues = (frame, selector) => frame.evaluate((s) => [...document.querySelectorAll(s)].map((e) => e.value), selector);

async function answerWithKeys(page, frame, q) {
  const box = `fieldset[data-question="${q.id}"]`;
  switch (q.kind) {
    case 'single':
    case 'true-false': {
      // Arrow keys move the choice within a radio group (Space picks the first).
      const values = await shownValues(frame, `${box} input`);
      await tabTo(page, frame, `${box} input`);
      const from = values.indexOf(await frame.evaluate(() => document.activeElement.value));
      const to = values.indexOf(String(q.correct[0]));
      if (from === to) await page.keyboard.press('Space');
      for (let i = from; i < to; i++) await page.keyboard.press('ArrowDown');
      for (let i = from; i > to; i--) await page.keyboard.press('ArrowUp');
      break;
    }
    case 'multiple':
      for (const value of q.correct) {
        await tabTo(page, frame, `${box} input[value="${value}"]`);
        await page.keyboard.press('Space');
      }
      break;
    case 'fill-in':
    case 'numeric':
      await tabTo(page, frame, `${box} .cp-answer`);
      await page.keyboard.type(q.kind === 'numeric' ? String(q.range[0]) : q.answers[0]);
      break;
    case 'matching':
      for (let i = 0; i < q.pairs; i++) {
        const select = `${box} select[name="${q.id}-${i}"]`;
        const values = await shownValues(frame, `${select} option`);
        await tabTo(page, frame, select);
        for (let n = 0; n < values.indexOf(String(i)); n++) await page.keyboard.press('ArrowDown');
      }
      break;
    case 'ordering':
      for (let target = 0; target < q.steps; target++) {
        for (;;) {
          const order = await frame.evaluate((b) => [...document.querySelectorAll(`${b} .cp-step`)].map((li) => Number(li.dataset.step)), box);
          if (order.indexOf(target) <= target) break;
          await tabTo(page, frame, `${box} .cp-step[data-step="${target}"] .cp-move[data-move="-1"]`);
          await page.keyboard.press('Enter');
        }
      }
      break;
    default:
      throw new Error(`no keyboard plan for ${q.kind}`);
  }
}

for (const language of ['en', 'ar']) {
  test(`${language}: the assessment is completed with the keyboard alone and the LMS records passed`, async () => {
    const dir = buildAndUnpack(everyTypeCourse(language), 'scorm12');
    const server = await startServer(dir, 'scorm12');
    try {
      const { page, sco, problems } = await openLms(browser, server);
      await waitForPage(sco, 'exam/exam');
      const frame = frameNamed(page, 'cp-content');
      const content = sco.frameLocator('#cp-frame');
      const data = await quizData(content);
      assert.deepEqual(data.questions.map((q) => q.kind).sort(), ['fill-in', 'matching', 'multiple', 'numeric', 'ordering', 'single', 'true-false']);
      // Into the lesson the way a keyboard user gets there: the skip link first.
      await page.keyboard.press('Tab');
      assert.equal(await scoFrame(page).evaluate(() => document.activeElement.className), 'cp-skip');
      await page.keyboard.press('Enter');
      assert.equal(await frame.evaluate(() => document.activeElement.id), 'content', 'the skip link lands in the lesson');
      for (const q of data.questions) await answerWithKeys(page, frame, q);
      await tabTo(page, frame, '.cp-submit');
      await page.keyboard.press('Enter');
      await content.locator('.cp-results').waitFor({ state: 'visible' });
      assert.equal(await frame.evaluate(() => document.activeElement.classList.contains('cp-results')), true, 'focus moves to the results');
      await closeSco(page, STANDARDS.scorm12.finish);
      const { cmi } = server.commits.at(-1);
      assert.equal(cmi.core.lesson_status, 'passed', JSON.stringify(cmi.core));
      assert.equal(Number(cmi.core.score.raw), 100);
      assert.deepEqual(problems, []);
      await page.close();
    } finally {
      await server.close();
    }
  });
}

// ---------------------------------------------------------------------------------------
// Reflow (WCAG 1.4.10) and right-to-left.

/**
 * Goes through every page of the course open in `page` with the Next button, calling
 * `visit(contentFrame, pageId, index)` once each page has loaded.
 */
async function walkPages(page, visit) {
  const pages = JSON.parse(await page.locator('#cp-data').textContent()).pages.map((p) => p.id);
  const content = page.frameLocator('#cp-frame');
  for (const [n, id] of pages.entries()) {
    await content.locator(`html[data-page="${id}"]`).waitFor({ state: 'attached' });
    const frame = frameNamed(page, 'cp-content');
    await frame.waitForLoadState('load');
    await visit(frame, id, n);
    if (n + 1 < pages.length) await page.locator('#cp-next').click();
  }
}

/** Width of a PNG image, from its header. */
const pngWidth = (png) => png.readUInt32BE(16);

for (const language of ['en', 'ar']) {
  test(`${language}: every page reflows at 320 CSS px without horizontal scrolling`, async () => {
    const server = await startServer(packages[language], 'scorm12');
    try {
      const { page, problems } = await openPage(browser, server, '/pkg/index.html');
      await page.setViewportSize({ width: 320, height: 640 });
      const shots = scratchDir('reflow');
      await walkPages(page, async (frame, id, n) => {
        const overflow = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${id} scrolls sideways by ${overflow}px at 320px`);
        const shot = await page.screenshot({ fullPage: true, path: join(shots, `${n}.png`) });
        assert.equal(pngWidth(shot), 320, `${id}: the launch page is wider than the screen`);
      });
      // The menu opens over the lesson, inside the screen.
      await page.locator('#cp-menu-toggle').click();
      const menu = await page.locator('#cp-menu').boundingBox();
      assert.ok(menu.x >= 0 && menu.x + menu.width <= 320, JSON.stringify(menu));
      assert.ok(problems.every((p) => p.includes('could not find the learning platform') || !p.startsWith('page error')), problems.join('\n'));
      await page.close();
    } finally {
      await server.close();
    }
  });
}

test('en: text enlarged to 200% stays readable without horizontal scrolling at 640 CSS px', async () => {
  const server = await startServer(packages.en, 'scorm12');
  try {
    const { page } = await openPage(browser, server, '/pkg/index.html');
    await page.setViewportSize({ width: 640, height: 800 });
    const enlarge = (frame) => frame.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
    await enlarge(page.mainFrame());
    await walkPages(page, async (frame, id) => {
      await enlarge(frame);
      const overflow = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${id} scrolls sideways by ${overflow}px with 200% text`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `${id}: the launch page overflows with 200% text`);
    });
    await page.close();
  } finally {
    await server.close();
  }
});

test('ar: the layout is mirrored: menu on the right, Previous on the right, arrows and progress from the right, options right-aligned', async () => {
  const server = await startServer(packages.ar, 'scorm12');
  try {
    const { page, sco, problems } = await openLms(browser, server);
    await waitForPage(sco, 'introduction/welcome');
    const launch = scoFrame(page);
    assert.equal(await launch.evaluate(() => document.documentElement.dir), 'rtl');
    await sco.locator('#cp-next').click();
    await waitForPage(sco, 'introduction/what-is-internal-risk');
    const box = (selector) => sco.locator(selector).boundingBox();
    const [menu, main, previous, next] = await Promise.all(['#cp-menu', '.cp-main', '#cp-previous', '#cp-next'].map(box));
    assert.ok(menu.x > main.x, 'the menu is on the right of the lesson');
    assert.ok(previous.x > next.x, 'Previous is on the right, Next on the left');
    assert.equal(await sco.locator('#cp-next .cp-arrow').evaluate((e) => getComputedStyle(e).transform), 'matrix(-1, 0, 0, 1, 0, 0)');
    const [track, bar] = await Promise.all(['.cp-progress-track', '#cp-progress-bar'].map(box));
    assert.ok(bar.width > 0 && Math.abs(bar.x + bar.width - (track.x + track.width)) <= 1.5, 'progress grows from the right');
    assert.match(await sco.locator('#cp-next').textContent(), /التالي/);

    await sco.locator(`#cp-menu a[data-page="${CHECK}"]`).click();
    await waitForPage(sco, CHECK);
    const content = sco.frameLocator('#cp-frame');
    assert.equal(await content.locator('html').getAttribute('dir'), 'rtl');
    const option = content.locator('.cp-option').first();
    const [input, label] = await Promise.all([option.locator('input').boundingBox(), option.locator('span').boundingBox()]);
    assert.ok(input.x > label.x, 'the radio button sits on the right of its text');
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    await server.close();
  }
});
