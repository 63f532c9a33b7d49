// The preview page plays the LMS: scorm-again provides the SCORM API the course finds on
// this window, every call is logged with its error code, the learner record is kept by the
// preview server (so "Close and relaunch" resumes like a real LMS), and the course reloads
// whenever the server rebuilt it.
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var standard = params.get('standard') === 'scorm2004' ? 'scorm2004' : 'scorm12';
  var is12 = standard === 'scorm12';
  var METHODS = is12
    ? ['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit']
    : ['Initialize', 'Terminate', 'GetValue', 'SetValue', 'Commit'];
  var SAVES = is12 ? ['LMSCommit', 'LMSFinish'] : ['Commit', 'Terminate'];
  var ENDS = is12 ? 'LMSFinish' : 'Terminate';
  var SUSPEND_LIMIT = is12 ? 4096 : 64000;
  var frame = document.getElementById('pv-frame');
  var launchUrl = '/course/' + standard + '/index.html';
  var learnerUrl = '/__preview/learner?standard=' + standard;
  // Changes to the learner record carry the token the server put in this page.
  var token = { 'X-Coursepack-Token': document.querySelector('meta[name=coursepack-token]').content };
  var record = {};
  var api = null;
  var calls = [];

  document.getElementById('pv-' + standard).setAttribute('aria-current', 'page');

  function text(id, value) { document.getElementById(id).textContent = value; }

  function makeApi() {
    var Api = is12 ? window.Scorm12API : window.Scorm2004API;
    var made = new Api({ autocommit: false, lmsCommitUrl: false, logLevel: 5 });
    if (Object.keys(record).length) made.loadFromJSON(record);
    METHODS.forEach(function (name) {
      var real = made[name].bind(made);
      made[name] = function () {
        var args = Array.prototype.slice.call(arguments);
        var result = real.apply(null, args);
        var code = String(is12 ? made.LMSGetLastError() : made.GetLastError());
        var message = code === '0' ? '' : String(is12 ? made.LMSGetErrorString(code) : made.GetErrorString(code));
        calls.push({ name: name, args: args, result: String(result), code: code, message: message });
        if (SAVES.indexOf(name) >= 0 && String(result) === 'true') save(made, name === ENDS);
        render(made);
        return result;
      };
    });
    window[is12 ? 'API' : 'API_1484_11'] = made;
    return made;
  }

  // What the LMS stores: the record it would receive in a commit.
  function save(from, terminated) {
    record = from.renderCommitCMI(terminated);
    fetch(learnerUrl, { method: 'POST', body: JSON.stringify(record), keepalive: true, headers: token });
  }

  function render(from) {
    var cmi = from.renderCMIToJSONObject().cmi || {};
    var core = cmi.core || {};
    var score = (is12 ? core.score : cmi.score) || {};
    var status = is12 ? core.lesson_status : (cmi.completion_status + ' / ' + cmi.success_status);
    var scoreText = [score.raw !== '' && score.raw !== undefined ? 'raw ' + score.raw : '',
      score.min ? 'min ' + score.min : '', score.max ? 'max ' + score.max : '',
      !is12 && score.scaled !== '' && score.scaled !== undefined ? 'scaled ' + score.scaled : '']
      .filter(Boolean).join(', ');
    text('pv-status', status || '-');
    text('pv-score', scoreText || '-');
    text('pv-location', (is12 ? core.lesson_location : cmi.location) || '-');
    var suspend = cmi.suspend_data || '';
    var size = document.getElementById('pv-suspend');
    size.textContent = suspend.length + ' of ' + SUSPEND_LIMIT + ' characters';
    size.className = suspend.length > SUSPEND_LIMIT ? 'pv-over' : '';
    text('pv-session', (is12 ? core.session_time : cmi.session_time) || '-');
    var interactions = Object.keys(cmi.interactions || {})
      .map(function (key) { return cmi.interactions[key]; })
      .filter(function (item) { return item && typeof item === 'object' && item.id; });
    text('pv-interaction-count', String(interactions.length));
    var rows = document.getElementById('pv-interactions');
    rows.textContent = '';
    interactions.forEach(function (item) {
      var row = rows.insertRow();
      [item.id, item.type, is12 ? item.student_response : item.learner_response, item.result].forEach(function (value) {
        row.insertCell().textContent = value === undefined ? '' : String(value);
      });
    });
    var list = document.getElementById('pv-calls');
    list.textContent = '';
    calls.slice(-200).reverse().forEach(function (call) {
      var item = document.createElement('li');
      item.textContent = call.name + '(' + call.args.map(function (a) { return JSON.stringify(a); }).join(', ') + ') → ' +
        JSON.stringify(call.result) + (call.code === '0' ? '' : '  error ' + call.code + ': ' + call.message);
      if (call.code !== '0') item.className = 'pv-failed';
      list.appendChild(item);
    });
  }

  // Unload the course first, so that its own exit (Terminate with the final data) reaches the
  // old API; then, after `between` (which may return a promise), launch again against a new
  // API holding what the LMS stored.
  function relaunch(between) {
    frame.addEventListener('load', function blank() {
      frame.removeEventListener('load', blank);
      Promise.resolve(between && between()).then(function () {
        api = makeApi();
        render(api);
        frame.src = launchUrl;
      });
    });
    frame.src = 'about:blank';
  }

  function showError(message) {
    var box = document.getElementById('pv-error');
    box.hidden = !message;
    text('pv-error-text', message || '');
  }

  function poll(version) {
    fetch('/__preview/state?after=' + version)
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.version > version) {
          showError(state.error);
          // The first answer describes the build already on screen; later ones are rebuilds.
          if (version > 0 && !state.error) relaunch();
        }
        poll(state.version);
      })
      .catch(function () { setTimeout(function () { poll(version); }, 1000); });
  }

  document.getElementById('pv-relaunch').addEventListener('click', function () { relaunch(); });
  // Reset: end the session first (its exit saves the record), then forget the record.
  document.getElementById('pv-reset').addEventListener('click', function () {
    relaunch(function () {
      return fetch(learnerUrl, { method: 'DELETE', headers: token }).then(function () {
        calls = [];
        record = {};
      });
    });
  });

  fetch(learnerUrl)
    .then(function (response) { return response.json(); })
    .then(function (stored) {
      record = stored;
      api = makeApi();
      render(api);
      frame.src = launchUrl;
      poll(0);
    });
})();
