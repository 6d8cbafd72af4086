// tdkt: small enhancements only; every page works without script.
(function () {
  'use strict';
  // Ask before a state change that people may click by mistake.
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (ev) {
      if (!window.confirm(form.getAttribute('data-confirm'))) ev.preventDefault();
    });
  });
  // Filters apply as soon as a choice is made.
  document.querySelectorAll('select[data-autosubmit]').forEach(function (sel) {
    sel.addEventListener('change', function () { if (sel.form) sel.form.submit(); });
  });
  // "/" jumps to the search box, as in many list tools.
  var hot = document.querySelector('[data-hotkey="/"]');
  if (hot) {
    document.addEventListener('keydown', function (ev) {
      var t = ev.target.tagName;
      if (ev.key === '/' && t !== 'INPUT' && t !== 'TEXTAREA' && t !== 'SELECT') {
        ev.preventDefault();
        hot.focus();
        hot.select();
      }
    });
  }
  // After a refused form, take the reader to the summary of what to fix.
  var focus = document.querySelector('[data-focus]');
  if (focus) focus.focus();
})();
