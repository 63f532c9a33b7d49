// The run-time's scoring, against one table of cases, both in Node (loading the very file
// packages ship) and in Chromium (on a built package's assessment page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  repo, buildAndUnpack, startServer, launchBrowser, openPage, sampleCourse,
} from './harness.mjs';

const cases = JSON.parse(readFileSync(new URL('./scoring-cases.json', import.meta.url), 'utf8'));
const quiz = createRequire(import.meta.url)(join(repo, 'templates', 'assets', 'quiz.js'));

function run(api) {
  return {
    questions: cases.questions.map((c) => [c.name, api.score(c.q, c.response)]),
    percentages: cases.percentages.map((c) => [c.name, api.percentage(c.questions, c.responses)]),
  };
}

const expected = {
  questions: cases.questions.map((c) => [c.name, c.expected]),
  percentages: cases.percentages.map((c) => [c.name, c.expected]),
};

test('scoring cases in Node, on the shipped quiz script', () => {
  assert.deepEqual(run(quiz), expected);
});

test('responses survive the suspend_data encoding', () => {
  const samples = [
    [{ kind: 'single' }, 3], [{ kind: 'multiple' }, [0, 2, 35]], [{ kind: 'matching' }, [2, null, 0]],
    [{ kind: 'ordering' }, [3, 1, 0, 2]], [{ kind: 'fill-in' }, 'Arusha | 2003'], [{ kind: 'likert' }, 4],
  ];
  for (const [q, response] of samples) assert.deepEqual(quiz.decode(q, quiz.encode(q, response)), response, q.kind);
  assert.equal(quiz.encode({ kind: 'multiple' }, [0, 2, 35]), 'ac9');
});

test('a saved response that no longer fits its question (options changed in a new version) is recognised', () => {
  const fits = [
    [{ kind: 'single', options: 3 }, 2], [{ kind: 'multiple', options: 4 }, [0, 3]], [{ kind: 'matching', pairs: 3 }, [2, null, 0]],
    [{ kind: 'ordering', steps: 3 }, [2, 0, 1]], [{ kind: 'ordering', steps: 11 }, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]],
    [{ kind: 'fill-in' }, 'Arusha'], [{ kind: 'likert', options: 5 }, 4],
  ];
  const misfits = [
    [{ kind: 'single', options: 3 }, 3], [{ kind: 'multiple', options: 2 }, [0, 3]], [{ kind: 'matching', pairs: 2 }, [1, 0, 2]],
    [{ kind: 'ordering', steps: 4 }, [2, 0, 1]], [{ kind: 'ordering', steps: 3 }, [0, 0, 1]], [{ kind: 'single', options: 3 }, -1],
  ];
  for (const [q, response] of fits) assert.equal(quiz.fits(q, response), true, `${q.kind} ${response}`);
  for (const [q, response] of misfits) assert.equal(quiz.fits(q, response), false, `${q.kind} ${response}`);
});

test('scoring cases in Chromium, on a built package', async () => {
  const dir = buildAndUnpack(sampleCourse, 'web');
  const server = await startServer(dir, 'web');
  const browser = await launchBrowser();
  try {
    const opened = await openPage(browser, server, '/pkg/pages/final-assessment/final-assessment.html');
    await opened.page.waitForFunction(() => window.coursepackQuiz);
    const inBrowser = await opened.page.evaluate((table) => {
      const api = window.coursepackQuiz;
      return {
        questions: table.questions.map((c) => [c.name, api.score(c.q, c.response)]),
        percentages: table.percentages.map((c) => [c.name, api.percentage(c.questions, c.responses)]),
      };
    }, cases);
    assert.deepEqual(inBrowser, expected);
    assert.deepEqual(opened.problems, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
