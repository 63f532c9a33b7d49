/*
 * coursepack quiz script, loaded by content pages that have questions. It scores answers,
 * shows feedback, runs graded assessments (attempts, draws, shuffles, results) and surveys,
 * and sends each answer and result to the launch page, which reports them to the LMS and
 * keeps the page's state in suspend_data so that a learner resumes mid-assessment.
 */
(function () {
  'use strict';

  var LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789';

  /* ---------------------------------------------------------------- scoring (pure) */

  function normalizeText(text, caseSensitive) {
    var t = String(text).trim().replace(/\s+/g, ' ');
    return caseSensitive ? t : t.toLowerCase();
  }

  function parseNumber(text) {
    var t = String(text).trim().replace(/\s/g, '').replace(',', '.');
    return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) ? Number(t) : NaN;
  }

  /**
   * The fraction of a question earned by a response, 0 to 1. Multiple response and matching
   * earn partial credit (right choices minus wrong ones, never below 0; pairs right); other
   * types are right or wrong. An unanswered question (null) earns 0.
   */
  function score(q, response) {
    if (response === null || response === undefined) return 0;
    switch (q.kind) {
      case 'single':
      case 'true-false':
        return q.correct.indexOf(response) >= 0 ? 1 : 0;
      case 'multiple': {
        var right = response.filter(function (i) { return q.correct.indexOf(i) >= 0; }).length;
        var wrong = response.length - right;
        return Math.max(0, (right - wrong) / q.correct.length);
      }
      case 'fill-in': {
        var given = normalizeText(response, q.caseSensitive);
        return q.answers.some(function (a) { return normalizeText(a, q.caseSensitive) === given; }) ? 1 : 0;
      }
      case 'numeric': {
        var n = parseNumber(response);
        return !isNaN(n) && n >= q.range[0] && n <= q.range[1] ? 1 : 0;
      }
      case 'matching':
        return response.filter(function (target, source) { return target === source; }).length / q.pairs;
      case 'ordering':
        return response.every(function (step, position) { return step === position; }) ? 1 : 0;
      default:
        return 0; // likert and text are never scored
    }
  }

  /** Percentage 0–100, rounded to two decimals, of the weighted fractions. */
  function percentage(questions, responses) {
    var total = 0;
    var earned = 0;
    questions.forEach(function (q) {
      if (q.kind === 'likert' || q.kind === 'text') return;
      total += q.weight;
      earned += q.weight * score(q, responses[q.id]);
    });
    return total === 0 ? 0 : Math.round(10000 * earned / total) / 100;
  }

  /* ---------------------------------------------------------------- encodings */

  /** A response as a compact string for suspend_data. */
  function encode(q, response) {
    if (response === null || response === undefined) return null;
    switch (q.kind) {
      case 'multiple':
      case 'matching':
      case 'ordering':
        return response.map(function (i) { return i === null ? '_' : LETTERS[i]; }).join('');
      case 'single':
      case 'true-false':
      case 'likert':
        return LETTERS[response];
      default:
        return String(response);
    }
  }

  function decode(q, text) {
    if (text === null || text === undefined) return null;
    switch (q.kind) {
      case 'multiple':
      case 'matching':
      case 'ordering':
        return text.split('').map(function (c) { return c === '_' ? null : LETTERS.indexOf(c); });
      case 'single':
      case 'true-false':
      case 'likert':
        return LETTERS.indexOf(text);
      default:
        return text;
    }
  }

  /**
   * What the LMS is told about an answer, independent of the SCORM version (the launch page
   * formats it): choice options are letters a–z then 0–9, as SCORM 1.2 requires.
   */
  function interaction(q, response, result, latencyMs, description) {
    var record = { id: q.id, kind: q.kind, weight: q.weight, latencyMs: latencyMs, description: description, result: result };
    switch (q.kind) {
      case 'single':
      case 'multiple':
        record.response = (response === null ? [] : [].concat(response)).map(function (i) { return LETTERS[i]; });
        record.correct = q.correct.map(function (i) { return LETTERS[i]; });
        break;
      case 'true-false':
        record.response = response === null ? '' : (response === 0 ? 'true' : 'false');
        record.correct = q.correct[0] === 0 ? 'true' : 'false';
        break;
      case 'likert':
        record.response = response === null ? '' : LETTERS[response];
        break;
      case 'fill-in':
        record.response = response === null ? '' : String(response);
        record.correct = q.answers;
        record.caseSensitive = q.caseSensitive;
        break;
      case 'numeric':
        record.response = response === null || isNaN(parseNumber(response)) ? '' : String(parseNumber(response));
        record.correct = q.range;
        break;
      case 'matching':
        record.response = (response || []).map(function (target, source) { return target === null ? null : [LETTERS[source], LETTERS[target]]; })
          .filter(function (pair) { return pair; });
        record.correct = Array.apply(null, Array(q.pairs)).map(function (_, i) { return [LETTERS[i], LETTERS[i]]; });
        break;
      case 'ordering':
        record.response = (response || []).map(function (i) { return LETTERS[i]; });
        record.correct = Array.apply(null, Array(q.steps)).map(function (_, i) { return LETTERS[i]; });
        break;
      default:
        record.response = response === null ? '' : String(response);
    }
    return record;
  }

  /** Whether a decoded response can be an answer to `q` (it may come from an older version of the question). */
  function fits(q, response) {
    if (response === null || response === undefined) return true;
    function index(i, n) { return i === null || (Number.isInteger(i) && i >= 0 && i < n); }
    switch (q.kind) {
      case 'single':
      case 'true-false':
      case 'likert':
        return index(response, q.options);
      case 'multiple':
        return response.every(function (i) { return i !== null && index(i, q.options); });
      case 'matching':
        return response.length === q.pairs && response.every(function (i) { return index(i, q.pairs); });
      case 'ordering':
        return response.length === q.steps && response.slice().sort(function (a, b) { return a - b; }).every(function (step, i) { return step === i; });
      default:
        return typeof response === 'string';
    }
  }

  /** The fingerprint of a page's question ids that saved states of version 1 carry (`f`). */
  function fingerprint(questions) {
    var hash = 0x811c9dc5;
    var text = questions.map(function (q) { return q.id; }).join('\n');
    for (var i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash.toString(36);
  }

  var api = { score: score, percentage: percentage, encode: encode, decode: decode, fits: fits, interaction: interaction, fingerprint: fingerprint };
  if (typeof window !== 'undefined') window.coursepackQuiz = api;
  if (typeof module !== 'undefined') module.exports = api;
  if (typeof document === 'undefined') return;

  /* ---------------------------------------------------------------- the page */

  var dataElement = document.getElementById('cp-quiz-data');
  if (!dataElement) return;
  var quiz = JSON.parse(dataElement.textContent);
  var strings = JSON.parse(document.getElementById('cp-strings').textContent);
  var pageId = document.documentElement.getAttribute('data-page');
  var framed = window.parent !== window;
  // A question's answers are saved under its slot (see coursepack.lock), so that they stay
  // its own whatever questions a later version adds or removes around it.
  var byId = {};
  var bySlot = {};
  quiz.questions.forEach(function (q) {
    q.key = q.slot.toString(36);
    byId[q.id] = q;
    bySlot[q.key] = q;
  });
  var form = document.querySelector('.cp-quiz-form');
  var settings = quiz.settings || {};
  var passMark = quiz.passMark;
  var state = null;
  var shownAt = Date.now();

  /** Fills `{name}` placeholders; numbers are written the way the page's language writes them. */
  function format(text, values) {
    var numbers;
    try { numbers = new Intl.NumberFormat(document.documentElement.lang || undefined); } catch (e) { numbers = null; }
    return text.replace(/\{(\w+)\}/g, function (_, k) {
      var value = values[k];
      return typeof value === 'number' && numbers ? numbers.format(value) : String(value);
    });
  }

  function fieldsetOf(q) { return document.getElementById('question-' + q.id); }

  function readResponse(q) {
    var box = fieldsetOf(q);
    switch (q.kind) {
      case 'single':
      case 'true-false':
      case 'likert': {
        var checked = box.querySelector('input:checked');
        return checked ? Number(checked.value) : null;
      }
      case 'multiple': {
        var values = Array.prototype.map.call(box.querySelectorAll('input:checked'), function (i) { return Number(i.value); });
        return values.length ? values.sort(function (a, b) { return a - b; }) : null;
      }
      case 'matching': {
        var targets = Array.prototype.map.call(box.querySelectorAll('select'), function (s) { return s.value === '' ? null : Number(s.value); });
        return targets.every(function (t) { return t === null; }) ? null : targets;
      }
      case 'ordering':
        // Steps start shuffled: they are an answer once the learner has moved one.
        return answeredAt[q.id] ? currentOrder(q) : null;
      default: {
        var value = box.querySelector('.cp-answer').value.trim();
        return value === '' ? null : value;
      }
    }
  }

  function currentOrder(q) {
    return Array.prototype.map.call(fieldsetOf(q).querySelectorAll('.cp-step'), function (li) { return Number(li.getAttribute('data-step')); });
  }

  function writeResponse(q, response) {
    var box = fieldsetOf(q);
    if (response === null || response === undefined) return;
    switch (q.kind) {
      case 'single':
      case 'true-false':
      case 'likert':
      case 'multiple':
        box.querySelectorAll('input').forEach(function (input) {
          input.checked = [].concat(response).indexOf(Number(input.value)) >= 0;
        });
        break;
      case 'matching':
        box.querySelectorAll('select').forEach(function (select, i) { select.value = response[i] === null ? '' : String(response[i]); });
        break;
      case 'ordering':
        arrangeSteps(box, response);
        answeredAt[q.id] = answeredAt[q.id] || shownAt;
        break;
      default:
        box.querySelector('.cp-answer').value = response;
    }
  }

  function arrangeSteps(box, order) {
    var list = box.querySelector('.cp-steps');
    order.forEach(function (step) {
      var item = list.querySelector('[data-step="' + step + '"]');
      if (item) list.appendChild(item);
    });
  }

  function shuffled(items) {
    var copy = items.slice();
    for (var i = copy.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = copy[i]; copy[i] = copy[j]; copy[j] = t;
    }
    return copy;
  }

  function lock(q, locked) {
    fieldsetOf(q).querySelectorAll('input, select, textarea, .cp-move').forEach(function (el) { el.disabled = locked; });
  }

  /** Shows whether the answer was right, the chosen options' feedback and the explanation. */
  function showFeedback(q, response) {
    var box = fieldsetOf(q).querySelector('.cp-feedback');
    var html = '';
    if (q.kind === 'likert' || q.kind === 'text') {
      html = '<p>' + strings.answered + '</p>';
    } else {
      var fraction = score(q, response);
      var verdict = fraction === 1 ? strings.correct : fraction > 0 ? strings.partly : strings.incorrect;
      fieldsetOf(q).setAttribute('data-result', fraction === 1 ? 'correct' : 'incorrect');
      html = '<p class="cp-verdict-' + (fraction === 1 ? 'correct' : 'incorrect') + '"><strong>' + verdict + '</strong>';
      var own = fraction === 1 ? q.feedbackCorrect : q.feedbackIncorrect;
      if (own) html += ' ' + own;
      html += '</p>';
      [].concat(response === null ? [] : response).forEach(function (i) {
        if ((q.kind === 'single' || q.kind === 'multiple') && q.optionFeedback[i]) html += '<p>' + q.optionFeedback[i] + '</p>';
      });
      if (q.explanation) html += '<p class="cp-explanation">' + q.explanation + '</p>';
    }
    box.innerHTML = html;
  }

  function clearFeedback(q) {
    fieldsetOf(q).querySelector('.cp-feedback').innerHTML = '';
    fieldsetOf(q).removeAttribute('data-result');
  }

  function report(message) {
    message.coursepack = 'quiz';
    message.page = pageId;
    if (framed) window.parent.postMessage(message, '*');
  }

  function record(q, response) {
    var result = q.kind === 'likert' || q.kind === 'text' ? 'neutral' : (score(q, response) === 1 ? 'correct' : 'wrong');
    var text = fieldsetOf(q).querySelector('.cp-question-text').textContent.trim();
    var latency = (answeredAt[q.id] || Date.now()) - shownAt;
    return interaction(q, response, result, latency, text);
  }

  // Latency: from the question being shown to the learner's last change to its answer.
  var answeredAt = {};
  document.querySelectorAll('.cp-question').forEach(function (box) {
    function touched() { answeredAt[box.getAttribute('data-question')] = Date.now(); }
    box.addEventListener('change', touched);
    box.addEventListener('input', touched);
  });

  /** The page's state as saved in suspend_data: short keys, responses encoded, by question slot. */
  function saveState(extra) {
    report(Object.assign({ state: state }, extra || {}));
  }

  function setResponse(q, response) {
    if (!state.r) state.r = {};
    var encoded = encode(q, response);
    if (encoded === null) delete state.r[q.key]; else state.r[q.key] = encoded;
  }

  /* ---------------------------------------------------------------- knowledge checks */

  /** A shuffle that never leaves the steps already in the right order. */
  function shuffledSteps(n) {
    var order = shuffled(range(n));
    while (n > 1 && order.every(function (step, i) { return step === i; })) order = shuffled(range(n));
    return order;
  }

  function startChecks() {
    if (!state) state = { r: {}, k: {} };
    quiz.questions.forEach(function (q) {
      var box = fieldsetOf(q);
      if (q.kind === 'ordering') arrangeSteps(box, shuffledSteps(q.steps));
      var checkButton = box.querySelector('.cp-check');
      var retryButton = box.querySelector('.cp-retry');
      if (state.k[q.key] && state.r[q.key] !== undefined) {
        var saved = decode(q, state.r[q.key]);
        writeResponse(q, saved);
        showFeedback(q, saved);
        lock(q, true);
        checkButton.hidden = true;
        retryButton.hidden = false;
      }
      checkButton.addEventListener('click', function () {
        var response = q.kind === 'ordering' ? currentOrder(q) : readResponse(q);
        if (response === null) {
          box.querySelector('.cp-feedback').innerHTML = '<p>' + strings.unanswered + '</p>';
          return;
        }
        showFeedback(q, response);
        lock(q, true);
        checkButton.hidden = true;
        retryButton.hidden = false;
        retryButton.focus();
        setResponse(q, response);
        state.k[q.key] = 1;
        saveState({ interactions: [record(q, response)] });
      });
      retryButton.addEventListener('click', function () {
        clearFeedback(q);
        lock(q, false);
        retryButton.hidden = true;
        checkButton.hidden = false;
        checkButton.focus();
        delete state.k[q.key];
      });
    });
  }

  /* ---------------------------------------------------------------- assessments and surveys */

  function drawn() {
    return state.d.split(',').filter(function (key) { return bySlot[key]; }).map(function (key) { return bySlot[key]; });
  }

  function maxAttempts() { return settings.attempts || 0; }

  function newAttempt() {
    var all = quiz.questions.slice();
    var pick = settings.draw ? shuffled(all).slice(0, settings.draw).sort(function (a, b) { return a.slot - b.slot; }) : all;
    if (settings.shuffle_questions) pick = shuffled(pick);
    var last = state && state.s ? [state.c, state.p] : state && state.l;
    state = {
      a: (state ? state.a : 0) + 1,
      d: pick.map(function (q) { return q.key; }).join(','),
      r: {},
      o: {}
    };
    // The previous attempt's result stands until this one is submitted.
    if (last && last[0] !== undefined) state.l = last;
    pick.forEach(function (q) { arrange(state, q); });
  }

  /** A new order for the steps of an ordering question, or for the options when they shuffle. */
  function arrange(attempt, q) {
    if (q.kind === 'ordering') attempt.o[q.key] = encode(q, shuffledSteps(q.steps));
    else if (settings.shuffle_options && (q.kind === 'single' || q.kind === 'multiple')) attempt.o[q.key] = encode(q, shuffled(range(q.options)));
  }

  function range(n) { return Array.apply(null, Array(n)).map(function (_, i) { return i; }); }

  /** Lays out the current attempt: drawn questions in their order, options in theirs, saved answers. */
  function layOut() {
    var questions = drawn();
    var anchor = form.querySelector('.cp-quiz-actions');
    // Questions in the page's order stay where they are, beside the text that introduces
    // them; only a draw or a shuffle moves them.
    var reorder = settings.draw || settings.shuffle_questions;
    quiz.questions.forEach(function (q) { fieldsetOf(q).hidden = true; });
    questions.forEach(function (q) {
      var box = fieldsetOf(q);
      box.hidden = false;
      if (reorder) form.insertBefore(box, anchor);
      clearFeedback(q);
      lock(q, false);
      delete answeredAt[q.id];
      box.querySelectorAll('input').forEach(function (i) { i.checked = false; });
      box.querySelectorAll('select').forEach(function (s) { s.value = ''; });
      box.querySelectorAll('.cp-answer').forEach(function (a) { a.value = ''; });
      var order = state.o[q.key] ? decode(q, state.o[q.key]) : null;
      if (order && q.kind === 'ordering') arrangeSteps(box, order);
      if (order && q.kind !== 'ordering') {
        var options = box.querySelector('.cp-options');
        order.forEach(function (i) { options.appendChild(options.querySelector('input[value="' + i + '"]').closest('label')); });
      }
      writeResponse(q, decode(q, state.r[q.key]));
    });
    updateStatus();
  }

  function updateStatus() {
    var status = form.querySelector('.cp-quiz-status');
    if (quiz.mode !== 'assessment') return;
    status.textContent = maxAttempts()
      ? format(strings.attempt, { n: state.a, max: maxAttempts() })
      : format(strings.attempt_unlimited, { n: state.a });
  }

  function showResults() {
    var results = form.querySelector('.cp-results');
    var questions = drawn();
    var responses = {};
    questions.forEach(function (q) { responses[q.id] = decode(q, state.r[q.key]); });
    questions.forEach(function (q) {
      lock(q, true);
      showFeedback(q, responses[q.id]);
    });
    form.querySelector('.cp-submit').hidden = true;
    results.hidden = false;
    var retry = form.querySelector('.cp-retry-all');
    if (quiz.mode === 'survey') {
      results.querySelector('.cp-score').textContent = strings.thanks;
      questions.forEach(function (q) { fieldsetOf(q).querySelector('.cp-feedback').innerHTML = ''; });
      return;
    }
    results.querySelector('.cp-score').textContent = format(strings.score, { score: state.c, pass: passMark });
    var left = maxAttempts() === 0 || state.a < maxAttempts();
    results.querySelector('.cp-verdict').textContent = (state.p ? strings.passed : strings.failed) + ' ' +
      (!state.p && !left ? strings.no_attempts : strings.review);
    retry.hidden = state.p || !left;
  }

  function submit(event) {
    event.preventDefault();
    if (state.s) return;
    var questions = drawn();
    var responses = {};
    questions.forEach(function (q) {
      responses[q.id] = readResponse(q);
      setResponse(q, responses[q.id]);
    });
    state.s = 1;
    var message = { submitted: true, interactions: questions.map(function (q) { return record(q, responses[q.id]); }) };
    if (quiz.mode === 'assessment') {
      state.c = percentage(questions, responses);
      state.p = state.c >= passMark ? 1 : 0;
      message.result = {
        score: state.c,
        passed: !!state.p,
        passMark: passMark,
        attempt: state.a,
        final: !!state.p || (maxAttempts() > 0 && state.a >= maxAttempts())
      };
    }
    saveState(message);
    showResults();
    form.querySelector('.cp-results').focus();
  }

  function startForm() {
    if (!state) newAttempt();
    layOut();
    if (state.s) showResults();
    form.addEventListener('submit', submit);
    form.addEventListener('change', function () {
      if (state.s) return;
      drawn().forEach(function (q) { setResponse(q, readResponse(q)); });
      saveState();
    });
    form.querySelector('.cp-retry-all').addEventListener('click', function () {
      newAttempt();
      form.querySelector('.cp-results').hidden = true;
      form.querySelector('.cp-submit').hidden = false;
      layOut();
      saveState();
      var first = form.querySelector('.cp-question:not([hidden]) input, .cp-question:not([hidden]) select, .cp-question:not([hidden]) textarea, .cp-question:not([hidden]) button');
      if (first) first.focus();
    });
    // Immediate feedback inside an assessment: a question is checked and locked on its own.
    form.querySelectorAll('.cp-check').forEach(function (button) {
      var q = byId[button.closest('.cp-question').getAttribute('data-question')];
      button.addEventListener('click', function () {
        var response = q.kind === 'ordering' ? currentOrder(q) : readResponse(q);
        showFeedback(q, response);
        lock(q, true);
        button.hidden = true;
        setResponse(q, response);
        saveState();
      });
    });
  }

  /* ---------------------------------------------------------------- ordering controls */

  document.querySelectorAll('.cp-move').forEach(function (button) {
    button.addEventListener('click', function () {
      var item = button.closest('.cp-step');
      var list = item.parentNode;
      var step = Number(button.getAttribute('data-move'));
      if (step < 0 && item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
      if (step > 0 && item.nextElementSibling) list.insertBefore(item.nextElementSibling, item);
      button.focus();
      button.closest('.cp-question').dispatchEvent(new Event('change', { bubbles: true }));
    });
  });

  /* ---------------------------------------------------------------- saved state */

  /**
   * The page's saved state as this version of the page can use it. What belongs to questions
   * the page no longer has, or no longer fits the question (its options changed), is dropped;
   * a result stands whatever changed around it. The launch page may have cut the state down
   * to fit the LMS's limit: details gone, or only the result `[attempt, score, passed]`.
   */
  function restore(saved) {
    if (Array.isArray(saved)) {
      var result = { a: saved[0], s: 1, d: '', r: {}, o: {} };
      if (quiz.mode === 'check' || typeof saved[0] !== 'number') return null;
      if (quiz.mode === 'survey') return result;
      return typeof saved[1] === 'number' ? Object.assign(result, { c: saved[1], p: saved[2] ? 1 : 0 }) : null;
    }
    if (!saved || typeof saved !== 'object') return null;
    if (saved.f !== undefined) saved = fromVersion1(saved);
    if (!saved) return null;
    var check = quiz.mode === 'check';
    var restored = Object.assign({}, saved, check ? { r: {}, k: {} } : { r: {}, o: {} });
    Object.keys(bySlot).forEach(function (key) {
      var q = bySlot[key];
      var r = saved.r && saved.r[key];
      var o = saved.o && saved.o[key];
      if (typeof r === 'string' && fits(q, decode(q, r))) restored.r[key] = r;
      if (check && saved.k && saved.k[key]) restored.k[key] = 1;
      if (!check && typeof o === 'string' && fits(q, decode(q, o))) restored.o[key] = o;
    });
    if (check) return restored;
    if (typeof restored.a !== 'number') return null;
    var kept = String(restored.d || '').split(',').filter(function (key) { return bySlot[key]; });
    if (!restored.s) kept = kept.concat(questionsToAdd(kept));
    if (!kept.length && !restored.s) return null;
    restored.d = kept.join(',');
    // An attempt in progress gets an order for a question it did not have.
    if (!restored.s) kept.forEach(function (key) { if (!restored.o[key]) arrange(restored, bySlot[key]); });
    return restored;
  }

  /**
   * Questions an attempt in progress takes in from a newer version of the page: every new one
   * when the assessment takes all its questions; with a draw, enough to draw as many again.
   */
  function questionsToAdd(kept) {
    var others = quiz.questions.filter(function (q) { return kept.indexOf(q.key) < 0; }).map(function (q) { return q.key; });
    if (!settings.draw) return others;
    return shuffled(others).slice(0, Math.max(0, settings.draw - kept.length));
  }

  /** A page state saved by version 1 of the run-time (keyed by question position), when the page's questions are the same. */
  function fromVersion1(saved) {
    if (saved.f !== fingerprint(quiz.questions)) return null;
    var byIndex = function (keyed) {
      var out = {};
      Object.keys(keyed || {}).forEach(function (i) { if (quiz.questions[i]) out[quiz.questions[i].key] = keyed[i]; });
      return out;
    };
    var converted = Object.assign({}, saved);
    delete converted.f;
    ['r', 'o', 'k'].forEach(function (key) { if (saved[key]) converted[key] = byIndex(saved[key]); });
    if (saved.d !== undefined) {
      converted.d = String(saved.d).split(',').map(function (i) { return quiz.questions[parseInt(i, 36)]; })
        .filter(Boolean).map(function (q) { return q.key; }).join(',');
    }
    return converted;
  }

  /* ---------------------------------------------------------------- start */

  var started = false;
  function start(saved, lmsMastery) {
    if (started) return;
    started = true;
    if (typeof lmsMastery === 'number' && !isNaN(lmsMastery)) passMark = lmsMastery;
    state = restore(saved);
    if (quiz.mode === 'check') startChecks(); else startForm();
    // A state of version 1 goes back in this version's form, which outlives changes to the page.
    if (state && saved && saved.f !== undefined) saveState();
  }

  // The launch page answers the page's hello with the saved state (see page.js).
  window.addEventListener('message', function (event) {
    if (event.source !== window.parent || !event.data || event.data.coursepack !== 'restore') return;
    start(event.data.state, event.data.mastery);
  });
  if (!framed) start(null, null);
  // Inside a frame that is not a coursepack launch page, nobody answers: start fresh.
  else setTimeout(function () { start(null, null); }, 3000);
})();
