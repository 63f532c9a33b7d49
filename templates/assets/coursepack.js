/*
 * coursepack run-time: the launch page's script. It keeps one LMS session for the whole
 * launch (content pages load in an iframe, so moving between pages never ends the session),
 * tracks visited pages and the bookmark, and reports completion through the SCORM 1.2 or
 * SCORM 2004 API. Without an LMS it keeps progress in localStorage. No dependencies, no
 * network requests.
 */
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('cp-data').textContent);
  var strings = JSON.parse(document.getElementById('cp-strings').textContent);
  var params = new URLSearchParams(window.location.search);

  // With one SCO per module, the LMS launches this page with ?module=<slug>.
  var moduleSlug = params.get('module');
  var pages = data.pages.filter(function (p) { return !moduleSlug || p.module === moduleSlug; });
  var pageIndex = {};
  pages.forEach(function (p, i) { pageIndex[p.id] = i; });

  var frame = document.getElementById('cp-frame');
  var noticeBox = document.getElementById('cp-notice');

  /* ---------------------------------------------------------------- formats */

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = '0' + s;
    return s;
  }

  /** SCORM 1.2 CMITimespan: HHHH:MM:SS.SS (2-4 hour digits, at most 2 decimals). */
  function timespan12(ms) {
    var centis = Math.round(ms / 10);
    var hours = Math.min(9999, Math.floor(centis / 360000));
    var minutes = Math.floor(centis / 6000) % 60;
    var seconds = Math.floor(centis / 100) % 60;
    return pad(hours, 2) + ':' + pad(minutes, 2) + ':' + pad(seconds, 2) + '.' + pad(centis % 100, 2);
  }

  /** SCORM 2004 ISO 8601 duration, at most 2 decimals on the seconds. */
  function duration2004(ms) {
    var centis = Math.round(ms / 10);
    var hours = Math.floor(centis / 360000);
    var minutes = Math.floor(centis / 6000) % 60;
    var seconds = (centis % 6000) / 100;
    return 'PT' + hours + 'H' + minutes + 'M' + seconds.toFixed(2).replace(/\.?0+$/, '') + 'S';
  }

  /**
   * A 0–100 score with at most two decimals as SCORM 2004's scaled score: exact to its four
   * decimals (16.67 / 100 is 0.16670000000000001 in floating point, beyond real(10,7)).
   */
  function scaled(score) {
    return String(Math.round(score * 100) / 10000);
  }

  /* ---------------------------------------------------------------- suspend data */

  // The saved state is `2|<lineage>|<visited pages>|<quiz states>`. Pages and questions are
  // known by their slot, a small number the build gives each once and never reuses
  // (coursepack.lock), so what a learner did stays with its page whatever a later version
  // adds, removes, reorders or renames around it. Visited pages are a bitset over page slots
  // in base64url (1,000 pages: 167 characters); quiz states are JSON keyed by page slot. A
  // state of another lineage (a lock made anew, which numbers pages afresh) is dropped rather
  // than applied to the wrong pages, and so is anything of a slot this version has no page for.
  function toBase64url(bytes) {
    var binary = '';
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  /** The bytes of a base64url text, as a binary string; empty when it is not base64url. */
  function fromBase64url(text) {
    try {
      return atob(String(text).replace(/-/g, '+').replace(/_/g, '/'));
    } catch (e) {
      return '';
    }
  }

  function bitSet(binary, i) { return (binary.charCodeAt(i >> 3) >> (i & 7)) & 1; }

  function encodeVisited() {
    var size = pages.reduce(function (max, p) { return Math.max(max, p.slot + 1); }, 0);
    var bytes = new Uint8Array(Math.ceil(size / 8));
    pages.forEach(function (p) {
      if (visited[p.id]) bytes[p.slot >> 3] |= 1 << (p.slot & 7);
    });
    return toBase64url(bytes);
  }

  /**
   * Visited pages and quiz states by page id, from the saved text of this run-time or of
   * version 1 (packages before coursepack.lock), which kept pages by their place in the
   * sorted page ids under a fingerprint of that list: it is read while this version has the
   * same pages, and the quiz script reads its page states by the same rule.
   */
  function decodeSuspend(text) {
    var parts = String(text || '').split('|');
    var saved = { visited: {}, quizStates: {} };
    var places = parts[0] === '2' && parts[1] === data.lineage ? slotPlaces()
      : parts[0] === '1' && parts[1] === version1Fingerprint() ? pages.map(function (p) { return p.id; }).sort()
        : null;
    if (!places || parts.length < 3) return saved;
    var bits = fromBase64url(parts[2]);
    places.forEach(function (id, place) { if (bitSet(bits, place)) saved.visited[id] = true; });
    var states = parseStates(parts.slice(3).join('|'));
    Object.keys(states).forEach(function (key) {
      var id = places[parseInt(key, 36)];
      if (id) saved.quizStates[id] = states[key];
    });
    return saved;
  }

  /** Page ids by slot (with holes where pages were removed). */
  function slotPlaces() {
    var places = [];
    pages.forEach(function (p) { places[p.slot] = p.id; });
    return places;
  }

  function version1Fingerprint() {
    var list = pages.map(function (p) { return p.id; }).sort().join('\n');
    var hash = 0x811c9dc5;
    for (var i = 0; i < list.length; i++) {
      hash ^= list.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash.toString(36);
  }

  function parseStates(json) {
    try {
      var states = JSON.parse(json || '{}');
      return states && typeof states === 'object' ? states : {};
    } catch (e) {
      return {};
    }
  }

  // When everything no longer fits the standard's limit, details go first, page by page
  // across the course: option orders, knowledge-check answers, answers of submitted attempts,
  // answers in progress; then everything but the results of assessments and surveys, kept as
  // `[attempt, score, passed]` (200 of them take about 3,000 characters). Each step returns
  // the page's state cut down, or null to drop it.
  var DEGRADE = [
    function (s) { delete s.o; return s; },
    function (s) { return s.k ? null : s; },
    function (s) { if (s.s) delete s.r; return s; },
    function (s) { delete s.r; return s; },
    function (s) {
      if (s.s) return s.c === undefined ? [s.a] : [s.a, s.c, s.p];
      // An attempt in progress: the one before it is the result.
      return s.l ? [s.a - 1, s.l[0], s.l[1]] : null;
    }
  ];

  function encodeSuspend(limit) {
    var base = '2|' + data.lineage + '|' + encodeVisited();
    var states = {};
    pages.forEach(function (p) {
      if (quizStates[p.id]) states[p.slot.toString(36)] = quizStates[p.id];
    });
    if (!Object.keys(states).length) return base;
    var text = base + '|' + JSON.stringify(states);
    for (var step = 0; text.length > limit && step < DEGRADE.length; step++) {
      states = JSON.parse(JSON.stringify(states));
      Object.keys(states).forEach(function (slot) {
        var cut = Array.isArray(states[slot]) ? states[slot] : DEGRADE[step](states[slot]);
        if (cut) states[slot] = cut; else delete states[slot];
      });
      text = base + '|' + JSON.stringify(states);
    }
    return text.length <= limit ? text : base;
  }

  /* ---------------------------------------------------------------- LMS adapters */

  /** Finds `name` on this window's parents (at most 7 levels, as ADL's sample does), then on the opener's. */
  function findApi(name) {
    var blocked = false;
    function search(win) {
      for (var depth = 0; win && depth < 8; depth++) {
        try {
          if (win[name]) return win[name];
        } catch (e) {
          blocked = true; // a cross-origin frame: SecurityError
        }
        if (win.parent === win) break;
        win = win.parent;
      }
      return null;
    }
    var api = search(window);
    if (!api) {
      try {
        if (window.opener) api = search(window.opener);
      } catch (e) {
        blocked = true;
      }
    }
    return { api: api, blocked: blocked };
  }

  function ok(result) { return String(result) === 'true'; }

  function scorm12Adapter(api) {
    return {
      init: function () { return ok(api.LMSInitialize('')); },
      get: function (el) { return api.LMSGetValue(el); },
      set: function (el, value) { return ok(api.LMSSetValue(el, String(value))); },
      commit: function () { return ok(api.LMSCommit('')); },
      finish: function () { return ok(api.LMSFinish('')); },
      el: {
        location: 'cmi.core.lesson_location',
        suspend: 'cmi.suspend_data',
        status: 'cmi.core.lesson_status',
        entry: 'cmi.core.entry',
        mode: 'cmi.core.lesson_mode',
        exit: 'cmi.core.exit',
        sessionTime: 'cmi.core.session_time',
        scoreRaw: 'cmi.core.score.raw',
        scoreMin: 'cmi.core.score.min',
        scoreMax: 'cmi.core.score.max',
        mastery: 'cmi.student_data.mastery_score'
      },
      version: '1.2',
      sessionTime: timespan12,
      notStarted: ['not attempted', ''],
      normalExit: '',
      suspendLimit: 4096
    };
  }

  function scorm2004Adapter(api) {
    return {
      init: function () { return ok(api.Initialize('')); },
      get: function (el) { return api.GetValue(el); },
      set: function (el, value) { return ok(api.SetValue(el, String(value))); },
      commit: function () { return ok(api.Commit('')); },
      finish: function () { return ok(api.Terminate('')); },
      el: {
        location: 'cmi.location',
        suspend: 'cmi.suspend_data',
        status: 'cmi.completion_status',
        entry: 'cmi.entry',
        mode: 'cmi.mode',
        exit: 'cmi.exit',
        sessionTime: 'cmi.session_time',
        progress: 'cmi.progress_measure',
        success: 'cmi.success_status',
        scoreScaled: 'cmi.score.scaled',
        scoreRaw: 'cmi.score.raw',
        scoreMin: 'cmi.score.min',
        scoreMax: 'cmi.score.max',
        mastery: 'cmi.scaled_passing_score'
      },
      version: '2004',
      suspendLimit: 64000,
      sessionTime: duration2004,
      // 2004 keeps location and suspend_data only for a resumed attempt; reading them
      // otherwise is error 403 (not initialised).
      resumeOnly: true,
      notStarted: ['not attempted', 'unknown', ''],
      normalExit: 'normal'
    };
  }

  /** Progress kept in the browser, for the web export and for packages opened without an LMS. */
  function localAdapter() {
    var key = 'coursepack:' + data.courseId + (moduleSlug ? ':' + moduleSlug : '');
    var store = {};
    try { store = JSON.parse(window.localStorage.getItem(key) || '{}') || {}; } catch (e) { store = {}; }
    return {
      init: function () { return true; },
      get: function (el) { return store[el] || ''; },
      set: function (el, value) { store[el] = String(value); return true; },
      commit: function () {
        try { window.localStorage.setItem(key, JSON.stringify(store)); } catch (e) { /* storage disabled */ }
        return true;
      },
      finish: function () { return this.commit(); },
      el: { location: 'location', suspend: 'suspend', status: 'status', entry: 'entry', mode: 'mode', exit: 'exit', sessionTime: 'time', scoreRaw: 'score', success: 'success' },
      version: 'local',
      suspendLimit: 64000,
      sessionTime: function (ms) { return String(ms); },
      notStarted: [''],
      normalExit: ''
    };
  }

  /* ---------------------------------------------------------------- session */

  var lms = null;
  var startedAt = Date.now();
  var visited = {};
  var current = -1;
  var completed = false;
  var alreadyCompleted = false; // the LMS said so at launch: never downgraded
  var launchStatus = ''; // the status the LMS held at launch: a floor while this launch knows less
  var quizStates = {};
  var lmsMastery = null;
  var interactionCount = 0;
  var reported = {};
  var reviewOnly = false; // browse/review mode: look, do not change the record
  var finished = false;

  function notice(text) {
    noticeBox.textContent = text;
    noticeBox.hidden = false;
  }

  /**
   * Connects to the LMS's API, looking for it again for API_WAIT_MS when it is not there yet
   * (some LMSs add it after the content has started); without one, progress is kept in the
   * browser and the learner is told.
   */
  var API_WAIT_MS = 5000;
  function connect(done) {
    var name = data.standard === 'scorm12' ? 'API' : data.standard === 'scorm2004' ? 'API_1484_11' : null;
    var since = Date.now();
    (function look() {
      var found = name ? findApi(name) : { api: null, blocked: false };
      if (found.api) {
        var adapter = name === 'API' ? scorm12Adapter(found.api) : scorm2004Adapter(found.api);
        if (adapter.init()) return done(adapter);
      } else if (name && !found.blocked && Date.now() - since < API_WAIT_MS) {
        return setTimeout(look, 250);
      }
      if (name) notice(found.blocked ? strings.lms_blocked : strings.no_lms);
      var local = localAdapter();
      local.init();
      done(local);
    })();
  }

  /*
   * Saving. A page change, the page being hidden, a submitted quiz and the exit commit at
   * once; answers in between are batched into at most one commit every BATCH_MS (some LMSs
   * freeze under a commit per click). A failed commit is retried after a growing delay,
   * RETRY_MS and then its last step for as long as the session lasts, so that a passing
   * outage loses nothing while the learner keeps working; the notice goes when a commit
   * succeeds.
   */
  var BATCH_MS = 3000;
  var RETRY_MS = [1000, 2000, 4000, 8000, 15000, 30000];
  var batchTimer = null;
  var retryTimer = null;
  var failedCommits = 0;
  var lastCommitAt = 0;

  function save() {
    clearTimeout(batchTimer);
    batchTimer = null;
    clearTimeout(retryTimer);
    retryTimer = null;
    if (lms.commit()) {
      failedCommits = 0;
      lastCommitAt = Date.now();
      if (noticeBox.textContent === strings.save_failed) noticeBox.hidden = true;
      return true;
    }
    notice(strings.save_failed);
    var delay = RETRY_MS[Math.min(failedCommits++, RETRY_MS.length - 1)];
    retryTimer = setTimeout(save, delay); // finish() clears it
    return false;
  }

  /** Commits within BATCH_MS of the last commit, unless a commit or a retry is already due. */
  function saveSoon() {
    if (batchTimer || retryTimer) return;
    batchTimer = setTimeout(save, Math.max(0, lastCommitAt + BATCH_MS - Date.now()));
  }

  /** Writes location, suspend_data, progress, status and score; commits now or, with `soon`, batched. */
  function record(soon) {
    if (reviewOnly || finished) return;
    if (current >= 0) lms.set(lms.el.location, pages[current].id);
    lms.set(lms.el.suspend, encodeSuspend(lms.suspendLimit));
    var count = countVisited();
    if (lms.el.progress) setOnce(lms.el.progress, (count / pages.length).toFixed(4).replace(/\.?0+$/, '') || '0');
    report(evaluate());
    if (soon) saveSoon();
    else save();
  }

  /** Sets an element only when its value changes: fewer calls, and no needless LMS work. */
  function setOnce(element, value) {
    if (!element || reported[element] === String(value)) return;
    if (lms.set(element, value)) reported[element] = String(value);
  }

  /** The latest result of an assessment page: its submitted attempt, else the one before. */
  function pageResult(id) {
    var s = quizStates[id];
    if (!s) return null;
    if (s.s && typeof s.c === 'number') return { score: s.c, passed: !!s.p };
    if (s.l) return { score: s.l[0], passed: !!s.l[1] };
    return null;
  }

  /** Completion and success from visited pages and assessment results, by course.toml's rule. */
  function evaluate() {
    var assessments = pages.filter(function (p) { return p.kind === 'assessment'; });
    var results = assessments.map(function (p) { return pageResult(p.id); });
    var submitted = results.filter(function (r) { return r; });
    var allSubmitted = assessments.length > 0 && submitted.length === assessments.length;
    var pagesDone = countVisited() === pages.length;
    var met = data.completion === 'pages' || !assessments.length ? pagesDone
      : data.completion === 'assessment' ? allSubmitted : pagesDone && allSubmitted;
    // Without an assessment, completing is full marks: an LMS that grades by score (Moodle's
    // "highest grade") would otherwise record 0 for a learner who finished.
    var score = !assessments.length ? (met ? 100 : null)
      : submitted.length ? Math.round(100 * submitted.reduce(function (sum, r) { return sum + r.score; }, 0) / submitted.length) / 100
        : null;
    var success = allSubmitted ? (results.every(function (r) { return r.passed; }) ? 'passed' : 'failed') : 'unknown';
    return { completed: met || alreadyCompleted, score: score, success: success };
  }

  function report(result) {
    completed = result.completed && result.success !== 'failed';
    if (lms.version === '1.2' || lms.version === 'local') {
      var status = result.completed
        ? (result.success === 'unknown' ? 'completed' : result.success)
        : (result.success === 'failed' ? 'failed' : 'incomplete');
      // Without the assessments' results here (their state was lost), a passed or failed the
      // LMS already holds stands: only a new result changes it.
      if (result.success === 'unknown' && (launchStatus === 'passed' || launchStatus === 'failed')) status = launchStatus;
      var changed = reported[lms.el.status] !== status;
      setOnce(lms.el.status, status);
      // SCORM 1.2 has one status: the score goes with a final one, in a commit after it.
      // Moodle 4.3.0 recounts activity completion only when it stores a score after the
      // final status (a status change alone never triggers it), and its player posts the
      // score before the status within one commit. Holding the score until the status is
      // final makes the score new, and so sent, in the commit that follows.
      if (status === 'incomplete') return;
      if (changed && result.score !== null && lms.version === '1.2') save();
    } else {
      setOnce(lms.el.status, result.completed ? 'completed' : 'incomplete');
      if (result.success !== 'unknown') setOnce(lms.el.success, result.success);
    }
    if (result.score !== null && lms.el.scoreRaw) {
      setOnce(lms.el.scoreMin, '0');
      setOnce(lms.el.scoreMax, '100');
      setOnce(lms.el.scoreRaw, String(result.score));
      if (lms.el.scoreScaled) setOnce(lms.el.scoreScaled, scaled(result.score));
    }
  }

  /* ---------------------------------------------------------------- interactions */

  function cap(text, n) { return String(text).slice(0, n); }

  function lmsInteractionCount() {
    return parseInt(lms.get('cmi.interactions._count'), 10) || 0;
  }

  /**
   * Writes one answer as the next cmi.interactions.n record, in the LMS's version's format.
   * After any refused value the next index is read again from the LMS's _count, so that one
   * refused record never makes every later one land on a wrong index.
   */
  function writeInteraction(r) {
    if (lms.version === 'local') return;
    var v12 = lms.version === '1.2';
    var n = interactionCount;
    var at = 'cmi.interactions.' + n + '.';
    var refused = false;
    function put(element, value) {
      if (!lms.set(at + element, value)) refused = true;
    }
    var type = { single: 'choice', multiple: 'choice', 'true-false': 'true-false', 'fill-in': 'fill-in', numeric: 'numeric',
      matching: 'matching', ordering: 'sequencing', likert: 'likert', text: v12 ? 'fill-in' : 'long-fill-in' }[r.kind];
    var list = v12 ? ',' : '[,]';
    var pair = v12 ? '.' : '[.]';
    function response(value) {
      if (r.kind === 'matching') return value.map(function (p) { return p.join(pair); }).join(list);
      if (Array.isArray(value)) return value.join(list);
      if (r.kind === 'true-false' && v12) return value === 'true' ? 't' : 'f';
      return String(value);
    }
    // The id comes first and the type before responses (2004 error 408 otherwise).
    put('id', r.id);
    if (refused) {
      interactionCount = lmsInteractionCount();
      return;
    }
    put('type', type);
    if (!v12 && r.description) put('description', cap(r.description.replace(/^\{+/, ''), 250));
    var given = response(r.response);
    if (given !== '') {
      given = r.kind === 'text' || r.kind === 'fill-in' ? given.replace(/^\{+/, '') : given;
      put(v12 ? 'student_response' : 'learner_response', cap(given, v12 ? 255 : (r.kind === 'text' ? 4000 : 250)));
    }
    var patterns = [];
    if (r.kind === 'fill-in') {
      patterns = r.correct.slice(0, v12 ? 1 : 5).map(function (a) { return (!v12 && r.caseSensitive ? '{case_matters=true}' : '') + a; });
    } else if (r.kind === 'numeric') {
      patterns = v12 ? (r.correct[0] === r.correct[1] ? [String(r.correct[0])] : []) : [r.correct[0] + '[:]' + r.correct[1]];
    } else if (r.correct !== undefined) {
      patterns = [response(r.correct)];
    }
    patterns.forEach(function (pattern, i) { put('correct_responses.' + i + '.pattern', cap(pattern, v12 ? 255 : 4000)); });
    put('result', v12 || r.result !== 'wrong' ? r.result : 'incorrect');
    put('weighting', String(r.weight));
    put('latency', lms.sessionTime(r.latencyMs));
    var now = new Date();
    if (v12) put('time', pad(now.getHours(), 2) + ':' + pad(now.getMinutes(), 2) + ':' + pad(now.getSeconds(), 2));
    else put('timestamp', new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 19));
    interactionCount = refused ? lmsInteractionCount() : n + 1;
  }

  /** Reports an assessment page's result as an objective, when the course asks for objectives. */
  function writeObjective(pageId, result) {
    if (!data.objectives || lms.version === 'local') return;
    var id = 'assessment-' + pageId.replace(/\//g, '-');
    var count = parseInt(lms.get('cmi.objectives._count'), 10) || 0;
    var n = count;
    for (var i = 0; i < count; i++) {
      if (lms.get('cmi.objectives.' + i + '.id') === id) { n = i; break; }
    }
    var at = 'cmi.objectives.' + n + '.';
    if (n === count) lms.set(at + 'id', id);
    lms.set(at + 'score.min', '0');
    lms.set(at + 'score.max', '100');
    lms.set(at + 'score.raw', String(result.score));
    if (lms.version === '1.2') {
      lms.set(at + 'status', result.passed ? 'passed' : 'failed');
    } else {
      lms.set(at + 'score.scaled', scaled(result.score));
      lms.set(at + 'success_status', result.passed ? 'passed' : 'failed');
      lms.set(at + 'completion_status', 'completed');
    }
  }

  /** A quiz page sent its state, and maybe answers and an assessment result. */
  function quizMessage(message) {
    if (pageIndex[message.page] === undefined || finished) return;
    quizStates[message.page] = message.state;
    if (reviewOnly) return;
    (message.interactions || []).forEach(writeInteraction);
    if (message.result) writeObjective(message.page, message.result);
    record(!message.submitted);
  }

  function countVisited() {
    return pages.filter(function (p) { return visited[p.id]; }).length;
  }

  /**
   * Terminates once, whatever calls it first (Exit, pagehide, beforeunload, unload); a
   * failed Terminate/LMSFinish is tried again at once, twice. Returns whether the session ended.
   */
  function finish() {
    if (finished || !lms) return true; // nothing (more) to end
    clearTimeout(batchTimer);
    clearTimeout(retryTimer);
    if (!reviewOnly) {
      lms.set(lms.el.sessionTime, lms.sessionTime(Date.now() - startedAt));
      // Suspend keeps the bookmark and the visited pages for the next launch.
      lms.set(lms.el.exit, completed ? lms.normalExit : 'suspend');
    }
    finished = true;
    for (var attempt = 0; attempt < 3; attempt++) {
      if (lms.finish()) return true;
    }
    return false;
  }

  /* ---------------------------------------------------------------- navigation */

  var menuLinks = document.querySelectorAll('#cp-menu a[data-page]');
  var previousButton = document.getElementById('cp-previous');
  var nextButton = document.getElementById('cp-next');

  function show(index) {
    if (index < 0 || index >= pages.length || finished) return;
    if (frame.contentWindow && frame.getAttribute('src') === pages[index].href) {
      arrived(pages[index].id);
      return;
    }
    frame.setAttribute('src', pages[index].href);
  }

  /** A content page has loaded (the menu, the pager or a link inside a page took us there). */
  function arrived(id) {
    var index = pageIndex[id];
    if (index === undefined) return;
    current = index;
    visited[id] = true;
    record();
    updateUi();
  }

  /** Fills `{name}` placeholders; numbers are written the way the page's language writes them. */
  function format(text, values) {
    var numbers;
    try { numbers = new Intl.NumberFormat(document.documentElement.lang || undefined); } catch (e) { numbers = null; }
    return text.replace(/\{(\w+)\}/g, function (_, k) {
      var value = values[k];
      return typeof value === 'number' && numbers ? numbers.format(value) : String(value);
    });
  }

  function updateUi() {
    var count = countVisited();
    document.getElementById('cp-progress-label').textContent = format(strings.progress, { n: count, total: pages.length });
    document.getElementById('cp-progress-bar').style.width = (100 * count / pages.length) + '%';
    document.getElementById('cp-position').textContent = format(strings.position, { n: current + 1, total: pages.length });
    previousButton.disabled = current <= 0;
    nextButton.disabled = current >= pages.length - 1;
    menuLinks.forEach(function (link) {
      var id = link.getAttribute('data-page');
      link.classList.toggle('cp-visited', !!visited[id]);
      if (pages[current] && id === pages[current].id) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    });
  }

  window.addEventListener('message', function (event) {
    if (event.source !== frame.contentWindow || !event.data || typeof event.data !== 'object') return;
    if (event.data.coursepack === 'page') {
      arrived(event.data.id);
      // The page's quiz script waits for its saved state before it lays itself out.
      event.source.postMessage({ coursepack: 'restore', state: quizStates[event.data.id] || null, mastery: lmsMastery }, '*');
    }
    if (event.data.coursepack === 'quiz') quizMessage(event.data);
    if (event.data.coursepack === 'next') show(current + 1);
    if (event.data.coursepack === 'previous') show(current - 1);
  });

  previousButton.addEventListener('click', function () { show(current - 1); });
  nextButton.addEventListener('click', function () { show(current + 1); });
  menuLinks.forEach(function (link) {
    link.addEventListener('click', function (event) {
      var index = pageIndex[link.getAttribute('data-page')];
      if (index === undefined) return;
      event.preventDefault();
      show(index);
      closeMenuOnSmallScreens();
    });
  });
  // Modules other than this SCO's are not part of this launch.
  document.querySelectorAll('#cp-menu [data-module]').forEach(function (item) {
    if (moduleSlug && item.getAttribute('data-module') !== moduleSlug) item.hidden = true;
  });

  var menuToggle = document.getElementById('cp-menu-toggle');
  menuToggle.addEventListener('click', function () {
    var open = menuToggle.getAttribute('aria-expanded') !== 'true';
    menuToggle.setAttribute('aria-expanded', String(open));
    document.body.classList.toggle('cp-menu-open', open);
  });
  function closeMenuOnSmallScreens() {
    if (window.matchMedia('(max-width: 48rem)').matches) {
      menuToggle.setAttribute('aria-expanded', 'false');
      document.body.classList.remove('cp-menu-open');
    }
  }

  document.addEventListener('keydown', function (event) {
    if (event.altKey && event.shiftKey && (event.key === 'ArrowRight' || event.key === 'ArrowLeft')) {
      var forward = (event.key === 'ArrowRight') !== (document.dir === 'rtl');
      show(current + (forward ? 1 : -1));
      event.preventDefault();
    }
  });

  // The skip link lands on the lesson itself, inside the frame, not on the frame element.
  document.querySelector('.cp-skip').addEventListener('click', function (event) {
    var main = frame.contentDocument && frame.contentDocument.getElementById('content');
    if (!main) return;
    event.preventDefault();
    frame.focus();
    main.focus();
  });

  document.getElementById('cp-exit').addEventListener('click', function () {
    if (!finish()) {
      // The LMS did not take the end of the session: stay, so the learner can try again.
      finished = false;
      notice(strings.exit_failed);
      return;
    }
    frame.removeAttribute('src');
    notice(strings.exited);
    previousButton.disabled = true;
    nextButton.disabled = true;
  });

  // Save when the learner switches away; terminate when the page goes away. Browsers may
  // fire any subset of these, in any order: finish() runs once.
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden' && lms && !finished && !reviewOnly) save();
  });
  window.addEventListener('pagehide', finish);
  window.addEventListener('beforeunload', finish);
  window.addEventListener('unload', finish);

  /* ---------------------------------------------------------------- start */

  function start(adapter) {
    lms = adapter;
    var mode = lms.get(lms.el.mode);
    reviewOnly = mode === 'browse' || mode === 'review';
    var resuming = !lms.resumeOnly || lms.get(lms.el.entry) === 'resume';
    var suspended = resuming ? lms.get(lms.el.suspend) : '';
    var saved = decodeSuspend(suspended);
    visited = saved.visited;
    quizStates = saved.quizStates;
    var status = lms.get(lms.el.status);
    launchStatus = status;
    alreadyCompleted = status === 'completed' || status === 'passed';
    completed = alreadyCompleted;
    reported[lms.el.status] = status;
    if (lms.el.mastery && lms.version !== 'local') {
      var mastery = parseFloat(lms.get(lms.el.mastery));
      if (!isNaN(mastery)) lmsMastery = lms.version === '2004' ? mastery * 100 : mastery;
    }
    interactionCount = lms.version === 'local' ? 0 : lmsInteractionCount();
    if (!reviewOnly && lms.notStarted.indexOf(status) >= 0) {
      lms.set(lms.el.status, 'incomplete');
      reported[lms.el.status] = 'incomplete';
    }
    var bookmark = pageIndex[params.get('page')];
    var saved = resuming ? pageIndex[lms.get(lms.el.location)] : undefined;
    if (bookmark === undefined) bookmark = saved;
    updateUi();
    if (data.resumePrompt && saved !== undefined && saved > 0 && params.get('page') === null) {
      var dialog = document.getElementById('cp-resume');
      dialog.hidden = false;
      document.getElementById('cp-resume-yes').focus();
      document.getElementById('cp-resume-yes').onclick = function () { dialog.hidden = true; show(saved); };
      document.getElementById('cp-resume-no').onclick = function () { dialog.hidden = true; show(0); };
      return;
    }
    show(bookmark === undefined ? 0 : bookmark);
  }

  // Exposed for tests and for themes that add their own controls.
  window.coursepack = { show: function (id) { show(pageIndex[id]); }, finish: finish, timespan12: timespan12, duration2004: duration2004 };

  connect(start);
})();
