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
  // Autosave (score grid, cross marks): a [data-autosave] cell or form posts
  // its named fields to its URL as soon as one changes (blur, Enter or a
  // choice), asks for JSON and shows the outcome beside the field in an
  // aria-live span. The pages work without it: each row links to the
  // unit's own sheet, each cross mark is a plain form.
  (function () {
    var boxes = document.querySelectorAll('[data-autosave]');
    if (!boxes.length || !window.fetch) return;
    function fields(box) {
      return Array.prototype.filter.call(box.querySelectorAll('input[name], select[name]'),
        function (el) { return el.type !== 'submit'; });
    }
    function save(box) {
      var table = box.closest('[data-csrf]');
      var state = box.querySelector('.save-state');
      var list = fields(box);
      var params = new URLSearchParams(box.getAttribute('data-extra') || '');
      for (var i = 0; i < list.length; i++) {
        if (list[i].type !== 'hidden' && list[i].value.trim() === '') {
          // not all given yet (a target criterion's second box), or a cell
          // emptied: nothing is sent, and the cell no longer says "saved"
          box.classList.remove('saved');
          box.removeAttribute('data-sent');
          if (state && table && table.getAttribute('data-empty') && list.length === 1)
            state.textContent = table.getAttribute('data-empty');
          else if (state) state.textContent = '';
          return;
        }
        params.set(list[i].name, list[i].value.trim());
      }
      var reasonId = box.getAttribute('data-reason');
      if (reasonId) {
        var reason = document.getElementById(reasonId);
        if (reason) params.set('reason', reason.value.trim());
      }
      if (!params.has('_csrf') && table) params.set('_csrf', table.getAttribute('data-csrf'));
      var sent = params.toString();
      if (box.getAttribute('data-sent') === sent) return; // nothing changed since the last save
      // the row's sheet version (score grid): the server refuses a stale
      // one (409) rather than overwrite someone else's change
      var row = box.closest('tr');
      var body = sent;
      if (row && row.hasAttribute('data-version')) {
        params.set('version', row.getAttribute('data-version'));
        body = params.toString();
      }
      box.classList.remove('save-error');
      box.classList.add('saving');
      if (state) state.textContent = table ? table.getAttribute('data-saving') : '…';
      fetch(box.getAttribute('data-autosave'), {
        method: 'POST', credentials: 'same-origin', body: body,
        headers: { 'Accept': 'application/json',
                   'Content-Type': 'application/x-www-form-urlencoded' }
      }).then(function (resp) {
        return resp.json().catch(function () { return {}; }).then(function (json) {
          return { ok: resp.ok, status: resp.status, body: json };
        });
      }).then(function (r) {
        box.classList.remove('saving');
        if (r.ok) {
          box.setAttribute('data-sent', sent);
          box.classList.add('saved');
          if (state) state.textContent = table ? table.getAttribute('data-saved') : '✓';
          var sheet = r.body && r.body.sheet;
          if (sheet && row) {
            if (sheet.version != null && row.hasAttribute('data-version'))
              row.setAttribute('data-version', String(sheet.version));
            var total = row.querySelector('[data-total]'), prog = row.querySelector('[data-progress]');
            if (total) total.textContent = sheet.complete ? sheet.total : '';
            if (prog) prog.textContent = sheet.answered + '/' + sheet.criteria;
            var tag = row.querySelector('[data-status]');
            if (tag && sheet.status === 'draft' && table && table.getAttribute('data-draft'))
              tag.textContent = table.getAttribute('data-draft');
          }
          // a reason is for one change: the next one needs its own
          if (reasonId) {
            var used = document.getElementById(reasonId);
            if (used) used.value = '';
          }
          return;
        }
        var msg = '', errs = r.body && r.body.errors;
        if (errs) for (var k in errs) { if (!msg && Object.prototype.hasOwnProperty.call(errs, k)) msg = errs[k]; }
        if (!msg && r.body && r.body.error) msg = r.body.error.message;
        box.removeAttribute('data-sent');
        box.classList.remove('saved');
        box.classList.add('save-error');
        if (state) state.textContent = msg || (table ? table.getAttribute('data-failed') : '!');
        if (r.status === 409 && state && table && table.getAttribute('data-reload')) {
          // someone else changed this sheet: offer the fresh page; the same
          // value is not sent again (leaving the cell for the button would
          // otherwise repeat the refused save and replace the button)
          box.setAttribute('data-sent', sent);
          var again = document.createElement('button');
          again.type = 'button';
          again.textContent = table.getAttribute('data-reload');
          again.addEventListener('click', function () { window.location.reload(); });
          state.appendChild(document.createTextNode(' '));
          state.appendChild(again);
        }
      }).catch(function () {
        box.classList.remove('saving');
        box.classList.add('save-error');
        if (state && table) state.textContent = table.getAttribute('data-failed');
      });
    }
    Array.prototype.forEach.call(boxes, function (box) {
      box.setAttribute('data-sent', '');
      fields(box).forEach(function (el) {
        el.addEventListener('change', function () { save(box); });
        el.addEventListener('keydown', function (ev) {
          if (ev.key === 'Enter') { ev.preventDefault(); save(box); }
        });
      });
      if (box.tagName === 'FORM') box.addEventListener('submit', function (ev) { ev.preventDefault(); save(box); });
    });
  })();
  // After a refused form, take the reader to the summary of what to fix.
  var focus = document.querySelector('[data-focus]');
  if (focus) focus.focus();
})();
