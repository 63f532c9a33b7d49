// Answers questions the way a learner does (clicking, typing, choosing, moving steps), rightly
// or wrongly, using the answer key the page carries.

/** The page's quiz data (answer keys). */
export async function quizData(content) {
  return JSON.parse(await content.locator('#cp-quiz-data').textContent());
}

/** Ids of the questions the learner sees, in their order. */
export async function visibleQuestions(content) {
  return content.locator('fieldset.cp-question:not([hidden])').evaluateAll((boxes) => boxes.map((b) => b.dataset.question));
}

/** Answers question `q` in `content` (a frame locator): rightly when `right`, else wrongly. */
export async function answer(content, q, right) {
  const box = content.locator(`fieldset[data-question="${q.id}"]`);
  switch (q.kind) {
    case 'single':
    case 'true-false': {
      const wrong = [...Array(q.options).keys()].find((i) => !q.correct.includes(i));
      await box.locator(`input[value="${right ? q.correct[0] : wrong}"]`).check();
      break;
    }
    case 'multiple': {
      const picks = right ? q.correct : [[...Array(q.options).keys()].find((i) => !q.correct.includes(i))];
      for (const i of picks) await box.locator(`input[value="${i}"]`).check();
      break;
    }
    case 'likert':
      await box.locator('input[value="3"]').check();
      break;
    case 'fill-in':
      await box.locator('.cp-answer').fill(right ? `  ${q.answers[0].toUpperCase()} ` : 'something else');
      await box.locator('.cp-answer').blur();
      break;
    case 'numeric':
      await box.locator('.cp-answer').fill(right ? String(q.range[0]) : String(q.range[1] + 1000));
      await box.locator('.cp-answer').blur();
      break;
    case 'text':
      await box.locator('.cp-answer').fill('Publish the rotation rules.');
      await box.locator('.cp-answer').blur();
      break;
    case 'matching':
      for (let i = 0; i < q.pairs; i++) {
        await box.locator('select').nth(i).selectOption(String(right ? i : (i + 1) % q.pairs));
      }
      break;
    case 'ordering':
      // Move each step up into place with its "Move up" button.
      for (let target = 0; target < q.steps; target++) {
        const want = right ? target : q.steps - 1 - target;
        for (;;) {
          const order = await box.locator('.cp-step').evaluateAll((items) => items.map((li) => Number(li.dataset.step)));
          const at = order.indexOf(want);
          if (at <= target) break;
          await box.locator(`.cp-step[data-step="${want}"] .cp-move[data-move="-1"]`).click();
        }
      }
      break;
    default:
      throw new Error(`unknown kind ${q.kind}`);
  }
}

/**
 * Answers every visible question of the assessment (question i rightly when `right(i)`, or all
 * alike when `right` is a boolean), then submits; returns the answer keys, the questions drawn
 * and the score the results show.
 */
export async function takeAssessment(content, right) {
  const isRight = typeof right === 'function' ? right : () => right;
  await content.locator('.cp-quiz-status').filter({ hasText: /^Attempt / }).waitFor();
  const data = await quizData(content);
  const ids = await visibleQuestions(content);
  for (const [i, id] of ids.entries()) await answer(content, data.questions.find((q) => q.id === id), isRight(i));
  await content.locator('.cp-submit').click();
  await content.locator('.cp-results').waitFor({ state: 'visible' });
  const score = Number((await content.locator('.cp-results').textContent()).match(/Your score: ([\d.]+)%/)[1]);
  return { data, ids, score };
}
