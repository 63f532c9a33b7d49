// The Moodle suite: packages uploaded to real Moodle sites (every release tarball in the
// Moodle folder, today 4.3.0 and 5.0.6+) the way the upload form adds them, played by a
// student through Moodle's own SCORM player in headless Chromium (Enter, Next through the
// pages, the quiz controls, Exit activity), and what Moodle stored read back through its
// own functions and tables: status, score, gradebook grade, activity completion, bookmark,
// suspend_data and interactions. Under CI=true a site that cannot be installed fails the suite.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPackage, coursePages, scratchDir, sampleCourse, launchBrowser, waitForPage } from '../browser/harness.mjs';
import { quizData, visibleQuestions, answer, takeAssessment } from '../browser/quiz-helpers.mjs';
import { missingPrerequisites, moodleTarballs, startOutsideRecorder, startPostgres, startSite, STUDENT } from './moodle.mjs';

const FINAL = 'final-assessment/final-assessment';
const SURVEY = 'final-assessment/integrity-survey';
const COMPLETE = 1; // COMPLETION_COMPLETE
const INCOMPLETE = 0;
const STATUS_PASSED = 2; // completionstatusrequired bits (scorm_status_options)
const STATUS_PASSED_OR_COMPLETED = 6;
const V12 = {
  status: 'cmi.core.lesson_status', score: 'cmi.core.score.raw', location: 'cmi.core.lesson_location',
  version: 'SCORM_1.2', entry: 'cmi.core.entry', response: 'student_response', wrong: 'wrong', api: 'API',
};
const V2004 = {
  status: 'cmi.completion_status', success: 'cmi.success_status', score: 'cmi.score.raw', location: 'cmi.location',
  version: 'SCORM_1.3', entry: 'cmi.entry', response: 'learner_response', wrong: 'incorrect', api: 'API_1484_11',
};
const STANDARDS = { scorm12: V12, scorm2004: V2004 };

const missing = missingPrerequisites();
const skip = missing.length && process.env.CI !== 'true' ? `needs: ${missing.join('; ')}` : false;
const sites = [];
let stopPostgres = () => {};
let browser;
let outside;
const work = process.env.COURSEPACK_MOODLE_WORK || scratchDir('moodle');

before(async () => {
  if (skip) return;
  assert.deepEqual(missing, [], 'the Moodle suite cannot run');
  stopPostgres = startPostgres();
  outside = await startOutsideRecorder();
  const { tarballs } = moodleTarballs();
  const keep = Boolean(process.env.COURSEPACK_MOODLE_WORK);
  sites.push(...await Promise.all(tarballs.map((tarball, i) => startSite(tarball, { work, port: 8765 + i, keep, proxyPort: outside.port }))));
  browser = await launchBrowser();
  for (const site of sites) site.context = await loggedIn(site);
});

after(async () => {
  await browser?.close();
  for (const site of sites) site.stop();
  await outside?.close();
  stopPostgres();
});

/** A browser context logged in as the student, recording every request that leaves 127.0.0.1. */
async function loggedIn(site) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  site.outside = [];
  site.pageErrors = [];
  context.on('request', (req) => {
    const url = req.url();
    if (!/^(http:\/\/127\.0\.0\.1:\d+\/|about:|data:|blob:)/.test(url)) site.outside.push(url);
  });
  await context.route((url) => url.hostname !== '127.0.0.1' && url.protocol.startsWith('http'), (route) => route.abort());
  const page = await context.newPage();
  await page.goto(`${site.url}/login/index.php`);
  await page.fill('#username', STUDENT.username);
  await page.fill('#password', STUDENT.password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login/')), page.click('#loginbtn')]);
  await page.close();
  return context;
}

// ---------------------------------------------------------------------------------------
// Packages

/** Builds `course` for `standard`; returns the zip, its page ids in course order and its manifest's item tree. */
function build(course, standard, extra = []) {
  const { zip, dir } = buildPackage(course, standard, extra);
  const manifest = readFileSync(join(dir, 'imsmanifest.xml'), 'utf8');
  const items = [...manifest.matchAll(/<(?:item|organization) identifier="([^"]+)"[^>]*>\s*<title>([^<]*)<\/title>/g)].map((m) => [m[1], m[2]]);
  return { zip, pages: coursePages(dir), items };
}

/** A copy of the sample course without its assessment module: a course of pages only. */
function pagesOnlyCourse() {
  const dir = join(scratchDir('moodle-course'), 'pages-only');
  cpSync(sampleCourse, dir, { recursive: true });
  rmSync(join(dir, '05-final-assessment'), { recursive: true });
  return dir;
}

/** The next version of `course`, as a review changes it: a page added, one removed, one reworded. */
function reviewedCourse(course) {
  const dir = join(scratchDir('moodle-course'), 'reviewed');
  cpSync(course, dir, { recursive: true });
  const toml = join(dir, 'course.toml');
  writeFileSync(toml, readFileSync(toml, 'utf8').replace('version = "1.0.0"', 'version = "1.1.0"'));
  writeFileSync(join(dir, '02-corruption-risk-mapping', '06-report-findings.md'),
    '# Report the findings\n\nShare the risk map with the management board and the staff concerned.\n');
  rmSync(join(dir, '04-governance-framework', '02-putting-it-together.md'));
  const welcome = join(dir, '01-introduction', '01-welcome.md');
  writeFileSync(welcome, `${readFileSync(welcome, 'utf8')}\nThis version was revised after the last review.\n`);
  return dir;
}

const packages = {};
function packageFor(name, standard) {
  const key = `${name}-${standard}`;
  if (!packages[key]) {
    packages[key] = name === 'sample' ? build(sampleCourse, standard)
      : name === 'per-module' ? build(sampleCourse, standard, ['--sco-per-module'])
        : name === 'reviewed' ? build(reviewedCourse(pagesOnlyCourse()), standard)
          : build(pagesOnlyCourse(), standard);
  }
  return packages[key];
}

// ---------------------------------------------------------------------------------------
// Playing in Moodle's player

let activities = 0;
async function addActivity(site, pkg, settings = {}) {
  const added = await site.php('add', pkg.zip, `coursepack ${++activities}`, JSON.stringify(settings));
  assert.deepEqual(added.errors, [], 'Moodle\'s package validation accepts the package');
  return added;
}

/** Opens the activity and presses Enter; returns the player page and the SCO's frames. */
async function enter(site, cmid) {
  const page = await site.context.newPage();
  page.on('pageerror', (err) => site.pageErrors.push(err.message));
  await page.goto(`${site.url}/mod/scorm/view.php?id=${cmid}`);
  await Promise.all([page.waitForURL(/\/mod\/scorm\/player\.php/), page.click('#n')]);
  const sco = page.frameLocator('#scorm_object');
  return { page, sco, content: sco.frameLocator('#cp-frame') };
}

/** Goes through pages `ids` with Next from the first, calling `atPage(id)` on each. */
async function visit(sco, ids, atPage = async () => {}) {
  for (const [i, id] of ids.entries()) {
    if (i > 0) await sco.locator('#cp-next').click();
    await waitForPage(sco, id);
    await atPage(id);
  }
}

async function goTo(sco, id) {
  const link = sco.locator(`#cp-menu a[data-page="${id}"]`);
  // Moodle's player frame is narrow enough for the menu to sit behind its toggle.
  if (!await link.isVisible()) await sco.locator('#cp-menu-toggle').click();
  await link.click();
  await waitForPage(sco, id);
}

/** A value as Moodle's player API (on the player page) hands it to the SCO. */
async function playerValue(page, v, element) {
  return page.evaluate(([api, name]) => (window[api].LMSGetValue ? window[api].LMSGetValue(name) : window[api].GetValue(name)), [v.api, element]);
}

/** Leaves through Moodle's own Exit activity link, so the content's unload handlers run. */
async function exitActivity(page) {
  await Promise.all([page.waitForURL(/\/course\/view\.php/), page.click('a[title="Exit activity"]')]);
  await page.close();
}

/** What Moodle stored, once `ready` holds for it (the last commit of an unload may land late). */
async function recordOf(site, cmid, ready = () => true) {
  let record;
  for (let i = 0; i < 50; i++) {
    record = await site.php('record', cmid);
    if (ready(record)) return record;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  return record;
}

/** The one SCO's values in attempt `n`. */
function scoValues(record, n = 1) {
  const scos = Object.values(record.attempts[n] || {});
  assert.equal(scos.length, 1, `one SCO tracked in attempt ${n}: ${JSON.stringify(record.attempts)}`);
  return scos[0];
}

/**
 * The interaction rows gathered into one object per interaction, in order. Moodle stores 1.2
 * elements with an underscore before each index (`cmi.interactions_0.correct_responses_0.pattern`)
 * and 2004 ones as posted (`cmi.interactions.0.correct_responses.0.pattern`); both read as the latter.
 */
function interactions(values) {
  const found = [];
  for (const [element, value] of Object.entries(values)) {
    const m = element.match(/^cmi\.interactions[._](\d+)\.(.+)$/);
    if (m) (found[Number(m[1])] ||= {})[m[2].replace(/_(\d+)\./g, '.$1.')] = value;
  }
  return found;
}

/**
 * Nothing left 127.0.0.1 (from the browser, or from Moodle's server side through its proxy),
 * no script failed, and PHP logged no warning, notice or error. While a package plays,
 * Moodle's own developer-debugging notices (a backtrace from debugging(), such as 4.3.0's
 * event snapshot notice on 2004 commits) are Moodle's, not the package's.
 */
function assertClean(site, logFrom, { played = true } = {}) {
  assert.deepEqual(site.outside, [], 'the browser requested nothing outside 127.0.0.1');
  assert.deepEqual(outside.requests, [], 'Moodle\'s server side requested nothing outside 127.0.0.1');
  assert.deepEqual(site.pageErrors, [], 'no script error in the player or the package');
  // A request out that Moodle blocked itself (a host that does not resolve here) is logged
  // through debugging() too, and is a failure like one that reached the proxy.
  const problems = site.problemsSince(logFrom)
    .filter((line) => !played || !line.includes('call to debugging()') || /The URL is blocked|cURL request for/.test(line));
  assert.deepEqual(problems, [], 'no PHP warning or notice in the server log');
}

// ---------------------------------------------------------------------------------------
// Scenarios, on every site, for SCORM 1.2 and 2004

const releases = skip ? [] : moodleTarballs().tarballs.map((t, i) => i);
if (skip) test('Moodle suite', { skip }, () => {});

for (const index of releases) {
  const site = () => sites[index];
  for (const standard of ['scorm12', 'scorm2004']) {
    const v = STANDARDS[standard];
    const name = (what) => `${moodleTarballs().tarballs[index].match(/moodle-(.*)\.tar/)[1]} ${standard}: ${what}`;

    test(name('imports with no warning: the launch SCO, titles and item tree as built'), async () => {
      for (const kind of ['sample', 'per-module']) {
        const pkg = packageFor(kind, standard);
        const from = site().logLength();
        const added = await addActivity(site(), pkg);
        assert.equal(added.printed, '', 'the import prints no warning');
        assert.equal(added.version, v.version);
        assert.deepEqual(added.items.map((i) => [i.identifier, i.title]), pkg.items, 'the item tree and titles as built');
        const scos = added.items.filter((i) => i.scormtype === 'sco');
        assert.equal(scos.length, kind === 'sample' ? 1 : pkg.items.length - 2, 'one SCO, or one per module under a root item');
        assert.equal(added.launch, scos[0].id, 'Moodle launches the first SCO');
        assert.ok(scos.every((i) => i.launch.startsWith('index.html')));
        assertClean(site(), from, { played: false });
      }
    });

    test(name('a course of pages only is completed, graded 100, and activity completion ticks'), async () => {
      const pkg = packageFor('pages-only', standard);
      const from = site().logLength();
      const { cmid } = await addActivity(site(), pkg, { completionstatusrequired: STATUS_PASSED_OR_COMPLETED });
      const { page, sco } = await enter(site(), cmid);
      await visit(sco, pkg.pages);
      await exitActivity(page);
      const record = await recordOf(site(), cmid, (r) => r.completion === COMPLETE);
      const values = scoValues(record);
      assert.equal(values[v.status], 'completed');
      assert.equal(values[v.score], '100', 'completing a course without an assessment is full marks');
      assert.equal(record.grade, 100);
      assert.equal(record.completion, COMPLETE, 'activity completion ticks');
      assertClean(site(), from);
    });

    for (const rule of ['status', 'score']) {
      test(name(`the assessment passed: passed, score, grade and completion under the ${rule} rule`), async () => {
        const pkg = packageFor('sample', standard);
        const from = site().logLength();
        const settings = rule === 'status' ? { completionstatusrequired: STATUS_PASSED_OR_COMPLETED }
          : { completionstatusrequired: null, completionscorerequired: 80 };
        const { cmid } = await addActivity(site(), pkg, settings);
        const { page, sco, content } = await enter(site(), cmid);
        // Played to the end as a learner does: page by page, each quiz answered where it stands,
        // so the final status comes with the last page, after the score.
        let taken;
        await visit(sco, pkg.pages, async (id) => {
          if (id === FINAL) taken = await takeAssessment(content, () => true);
          if (id === SURVEY && rule === 'status') {
            for (const q of (await quizData(content)).questions) await answer(content, q, true);
            await content.locator('.cp-submit').click();
            await content.locator('.cp-results').waitFor({ state: 'visible' });
          }
        });
        assert.notEqual(pkg.pages.at(-1), FINAL, 'a page comes after the assessment');
        const { data, ids } = taken;
        await exitActivity(page);
        const record = await recordOf(site(), cmid, (r) => r.completion === COMPLETE);
        const values = scoValues(record);
        if (standard === 'scorm12') assert.equal(values[v.status], 'passed');
        else assert.deepEqual([values[v.status], values[v.success]], ['completed', 'passed']);
        assert.equal(values[v.score], '100');
        assert.equal(record.grade, 100, 'the gradebook grade is the score');
        assert.equal(record.completion, COMPLETE, 'activity completion ticks');
        if (rule === 'status') {
          // One interaction row per answered question, in the version's formats.
          const rows = interactions(values);
          const survey = ['survey-code-gifts', 'survey-safe-reporting', 'survey-training-useful', 'survey-one-change'];
          assert.deepEqual(rows.map((r) => r.id), [...ids, ...survey]);
          const kinds = { single: 'choice', multiple: 'choice', 'true-false': 'true-false', 'fill-in': 'fill-in', numeric: 'numeric', matching: 'matching', ordering: 'sequencing' };
          for (const [i, id] of ids.entries()) {
            const q = data.questions.find((question) => question.id === id);
            assert.equal(rows[i].type, kinds[q.kind], id);
            assert.equal(rows[i].result, 'correct', id);
            assert.ok(rows[i][v.response], `${id} has a response`);
            assert.ok(rows[i]['correct_responses.0.pattern'], `${id} has a correct pattern`);
          }
          const likert = rows.slice(ids.length, ids.length + 3);
          assert.deepEqual(likert.map((r) => [r.type, r[v.response], r.result]), Array(3).fill(['likert', 'd', 'neutral']));
          assert.equal(rows.at(-1)[v.response], 'Publish the rotation rules.');
        }
        assertClean(site(), from);
      });
    }

    test(name('the assessment failed on every attempt: failed, the last score, no completion'), async () => {
      const pkg = packageFor('sample', standard);
      const from = site().logLength();
      const { cmid } = await addActivity(site(), pkg, { completionstatusrequired: STATUS_PASSED });
      const { page, sco, content } = await enter(site(), cmid);
      await visit(sco, pkg.pages);
      await goTo(sco, FINAL);
      let last;
      for (let attempt = 1; attempt <= 3; attempt++) {
        if (attempt > 1) await content.locator('.cp-retry-all').click();
        await content.locator('.cp-quiz-status').filter({ hasText: `Attempt ${attempt} of 3.` }).waitFor();
        // The last attempt gets a few right, so that its score differs from the first ones'.
        last = await takeAssessment(content, (i) => attempt === 3 && i < 4);
      }
      assert.ok(last.score > 0 && last.score < 80, `the last attempt scored ${last.score}`);
      await exitActivity(page);
      const record = await recordOf(site(), cmid, (r) => Number(scoValues(r)[v.score]) === last.score);
      const values = scoValues(record);
      if (standard === 'scorm12') assert.equal(values[v.status], 'failed');
      else assert.equal(values[v.success], 'failed');
      assert.equal(Number(values[v.score]), last.score, 'the score of the last attempt');
      assert.equal(record.grade, last.score);
      assert.equal(record.completion, INCOMPLETE, 'no completion under a "passed" rule');
      const results = interactions(values).map((r) => r.result);
      assert.equal(results.length, 36, 'every answer of the three attempts');
      assert.ok(results.includes(v.wrong) && results.includes('correct'), `results in the version's words: ${results}`);
      assertClean(site(), from);
    });

    test(name('left mid-assessment: relaunched, it resumes at the bookmark with the answers'), async () => {
      const pkg = packageFor('sample', standard);
      const from = site().logLength();
      const { cmid } = await addActivity(site(), pkg);
      const first = await enter(site(), cmid);
      await waitForPage(first.sco, pkg.pages[0]);
      await goTo(first.sco, FINAL);
      await first.content.locator('.cp-quiz-status').filter({ hasText: 'Attempt 1 of 3.' }).waitFor();
      const data = await quizData(first.content);
      const ids = await visibleQuestions(first.content);
      for (const id of ids.slice(0, 3)) await answer(first.content, data.questions.find((q) => q.id === id), true);
      const chosen = await first.content.locator('input:checked').evaluateAll((inputs) => inputs.map((i) => `${i.name}=${i.value}`));
      await exitActivity(first.page);
      const stored = scoValues(await recordOf(site(), cmid, (r) => scoValues(r)[v.location] === FINAL));
      assert.equal(stored[v.location], FINAL, 'the bookmark is stored');
      assert.ok(stored['cmi.suspend_data'], 'suspend_data is stored');

      const second = await enter(site(), cmid);
      await waitForPage(second.sco, FINAL);
      await second.content.locator('.cp-quiz-status').filter({ hasText: 'Attempt 1 of 3.' }).waitFor();
      assert.equal(await playerValue(second.page, v, v.entry), 'resume', 'Moodle offers the attempt to resume');
      assert.deepEqual(await visibleQuestions(second.content), ids, 'the same questions in the same order');
      const again = await second.content.locator('input:checked').evaluateAll((inputs) => inputs.map((i) => `${i.name}=${i.value}`));
      assert.deepEqual(again, chosen, 'the answers come back');
      await exitActivity(second.page);
      assertClean(site(), from);
    });

    test(name('one SCO per module: a module played to its end is completed; the activity waits for all'), async () => {
      const pkg = packageFor('per-module', standard);
      const from = site().logLength();
      const { cmid } = await addActivity(site(), pkg, { completionstatusrequired: STATUS_PASSED_OR_COMPLETED, completionstatusallscos: 1 });
      const { page, sco } = await enter(site(), cmid);
      const first = pkg.pages.filter((id) => id.startsWith(pkg.pages[0].split('/')[0] + '/'));
      await visit(sco, first);
      await exitActivity(page);
      const record = await recordOf(site(), cmid, (r) => scoValues(r)[v.status] === 'completed');
      const values = scoValues(record);
      assert.equal(values[v.status], 'completed', 'the first module\'s SCO is completed');
      assert.equal(values[v.score], '100');
      assert.equal(record.completion, INCOMPLETE, 'the activity waits for every SCO');
      assertClean(site(), from);
    });

    test(name('update: the package replaced mid-course, the learner resumes where they were and completes'), async () => {
      const v1 = packageFor('pages-only', standard);
      const v2 = packageFor('reviewed', standard);
      const from = site().logLength();
      const { cmid, items } = await addActivity(site(), v1, { completionstatusrequired: STATUS_PASSED_OR_COMPLETED });
      const first = await enter(site(), cmid);
      await visit(first.sco, v1.pages.slice(0, 5));
      await exitActivity(first.page);
      const bookmark = v1.pages[4];
      await recordOf(site(), cmid, (r) => scoValues(r)[v.location] === bookmark);

      const updated = await site().php('update', cmid, v2.zip);
      assert.deepEqual(updated.errors, []);
      assert.equal(updated.printed, '', 'no warning that tracking data will be lost');
      assert.deepEqual(updated.items.map((i) => [i.id, i.identifier]), items.map((i) => [i.id, i.identifier]),
        'the items keep their identifiers, and so the learner\'s tracks');
      assert.ok(v2.pages.includes(bookmark) && !v2.pages.every((id) => v1.pages.includes(id)));
      const kept = scoValues(await site().php('record', cmid));
      assert.equal(kept[v.location], bookmark, 'Moodle kept the record through the update');
      assert.equal(kept[v.status], 'incomplete');

      const second = await enter(site(), cmid);
      await waitForPage(second.sco, bookmark);
      assert.equal(await playerValue(second.page, v, v.entry), 'resume');
      // The new version reads the old one's saved state: the pages visited before are still
      // ticked, though pages were added and removed around them.
      const ticked = await second.sco.locator('#cp-menu a.cp-visited').evaluateAll((links) => links.map((a) => a.dataset.page));
      assert.deepEqual(ticked, v1.pages.slice(0, 5), 'the visited pages survive the update');
      assert.equal(await second.sco.locator('#cp-progress-label').textContent(), `5 of ${v2.pages.length} pages visited`);
      await goTo(second.sco, v2.pages[0]);
      await visit(second.sco, v2.pages);
      await exitActivity(second.page);
      const record = await recordOf(site(), cmid, (r) => r.completion === COMPLETE);
      assert.equal(scoValues(record)[v.status], 'completed');
      assert.equal(record.grade, 100);
      assert.equal(record.completion, COMPLETE, 'activity completion ticks after the update');
      assertClean(site(), from);
    });
  }
}
