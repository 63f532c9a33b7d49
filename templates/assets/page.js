/*
 * coursepack content page script: tells the launch page which page is showing (so links
 * between pages are tracked like the Next button), forwards the navigation shortcut, and
 * opens links that leave the package in a new window so the course session stays open.
 */
(function () {
  'use strict';
  var id = document.documentElement.getAttribute('data-page');
  var framed = window.parent !== window;

  if (framed) {
    window.parent.postMessage({ coursepack: 'page', id: id }, '*');
  } else {
    // Opened on its own (e.g. from a search result): offer the way into the course.
    var standalone = document.querySelector('.cp-standalone');
    if (standalone) standalone.hidden = false;
  }

  document.querySelectorAll('a[href]').forEach(function (link) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link.getAttribute('href')) && !/^(mailto|tel):/i.test(link.getAttribute('href'))) {
      link.target = '_blank';
      link.rel = 'noopener';
    }
  });

  document.addEventListener('keydown', function (event) {
    if (framed && event.altKey && event.shiftKey && (event.key === 'ArrowRight' || event.key === 'ArrowLeft')) {
      var forward = (event.key === 'ArrowRight') !== (document.dir === 'rtl');
      window.parent.postMessage({ coursepack: forward ? 'next' : 'previous' }, '*');
      event.preventDefault();
    }
  });
})();
