// End-to-end: one headless Chromium context walks through login, the units
// pages and per-unit access, as an office user and as a unit officer.
// Each step is one test() inside a describe sharing one page; a step whose
// prerequisite failed is skipped with the reason, so failures name the step.
// Run through tests/e2e/run.sh (see README.md).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, DRIVER, launchBrowser, checkA11y, screenshot } from './harness.mjs';

const PASSWORD = 'tdkt-demo-2026';
const NEW_UNIT = { code: 'E2E-TN', name: 'Ban Thi đua thử nghiệm' };

describe(`tdkt in a browser (${DRIVER})`, () => {
  let server;
  let browser;
  let context;
  let page;
  const state = {}; // ids found along the way: mttqId, newUnitId
  const failed = new Set(); // numbers of steps that failed or were skipped
  let problems = []; // uncaught page errors and CSP violations of the running step

  before(async () => {
    server = await Server.start();
    browser = await launchBrowser();
    context = await browser.newContext({
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      viewport: { width: 1280, height: 900 },
    });
    context.setDefaultTimeout(15000);
    context.setDefaultNavigationTimeout(20000);
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`uncaught error in page: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) {
        problems.push(`CSP violation: ${m.text()}`);
      }
    });
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  /** One scenario step: named "step N: ...", skipped when a step it needs failed. */
  function step(n, name, needs, fn) {
    test(`step ${n}: ${name}`, { timeout: 90000 }, async (t) => {
      const missing = needs.filter((d) => failed.has(d));
      if (missing.length) {
        failed.add(n);
        t.skip(`needs step ${missing.join(', ')}, which did not pass`);
        return;
      }
      problems = [];
      const logStart = server.readLog().length;
      try {
        await fn(t);
        assert.deepEqual(problems, [], 'the page raised errors or broke its CSP');
      } catch (e) {
        failed.add(n);
        try {
          const file = await screenshot(page, `fail-step${n}`);
          t.diagnostic(`page at failure: ${page.url()} (screenshot ${file})`);
        } catch { /* the page may be gone */ }
        const tail = server.readLog().slice(logStart).trimEnd().split('\n').slice(-30).join('\n');
        t.diagnostic(`server log during this step (last lines):\n${tail}`);
        throw e;
      }
    });
  }

  /** Clicks and waits for the resulting document; returns its final response. */
  async function submit(locator) {
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame()
        && !(r.status() >= 300 && r.status() < 400)),
      page.waitForEvent('load'),
      locator.click(),
    ]);
    return resp;
  }

  async function goto(p) {
    const resp = await page.goto(server.at(p));
    assert.ok(resp, `no response for ${p}`);
    return resp;
  }

  const here = () => new URL(page.url());

  async function login(user, password) {
    const resp = await goto('/login');
    assert.equal(resp.status(), 200, 'GET /login');
    await page.locator('#login').fill(user);
    await page.locator('#password').fill(password);
    return submit(page.getByRole('button', { name: 'Đăng nhập' }));
  }

  async function apiUnitByCode(code) {
    const r = await page.request.get(server.at(`/api/units?q=${encodeURIComponent(code)}`));
    assert.equal(r.status(), 200, `GET /api/units?q=${code}: ${r.status()} ${(await r.text()).slice(0, 300)}`);
    const unit = (await r.json()).items.find((u) => u.code === code);
    assert.ok(unit, `GET /api/units?q=${code} has no unit with code ${code}`);
    return unit;
  }

  async function visibleAlert() {
    const alerts = page.getByRole('alert');
    for (let i = 0; i < await alerts.count(); i++) {
      if (await alerts.nth(i).isVisible()) return alerts.nth(i);
    }
    return null;
  }

  step(1, 'the login page has the form', [], async () => {
    const resp = await goto('/login');
    assert.equal(resp.status(), 200, 'GET /login');
    const form = page.locator('form').filter({ has: page.locator('#login') });
    assert.equal(await form.count(), 1, 'one form holding #login');
    assert.equal(await form.locator('input#login[name="login"]').count(), 1, 'input#login name=login');
    assert.equal(await form.locator('input#password[name="password"][type="password"]').count(), 1,
      'input#password name=password type=password');
    assert.equal(await form.locator('input[type="hidden"][name="_csrf"]').count(), 1, 'hidden _csrf');
    assert.equal(await form.locator('input[type="hidden"][name="next"]').count(), 1, 'hidden next');
    assert.ok(await form.getByRole('button', { name: 'Đăng nhập' }).isVisible(), 'button "Đăng nhập"');
    await screenshot(page, '01-login');
    await checkA11y(page, '/login');
  });

  step(2, 'a wrong password shows an alert and stays on /login', [], async () => {
    await login('admin', 'sai-mat-khau');
    assert.equal(here().pathname, '/login', `after a wrong password the page is ${page.url()}`);
    assert.ok(await visibleAlert(), 'a visible element with role="alert"');
    await screenshot(page, '02-login-wrong-password');
    await checkA11y(page, '/login (wrong password)');
  });

  step(3, 'the office user logs in and sees the dashboard', [], async () => {
    await login('vanphong', PASSWORD);
    assert.equal(here().pathname, '/', `after logging in as vanphong the page is ${page.url()}`);
    const text = await page.locator('body').innerText();
    assert.ok(text.includes('Xin chào'), 'the dashboard says "Xin chào"');
    // For step 6: the unit a unit officer of SNV must not open.
    state.mttqId = (await apiUnitByCode('MTTQ')).id;
    await screenshot(page, '03-dashboard');
    await checkA11y(page, '/ (dashboard)');
  });

  step(4, 'units: the list, a field error, then a new unit', [3], async () => {
    let resp = await goto('/units');
    assert.equal(resp.status(), 200, 'GET /units');
    assert.equal(here().pathname, '/units', `GET /units ended on ${page.url()}`);
    await screenshot(page, '04-units');
    await checkA11y(page, '/units');

    resp = await goto('/units/new');
    assert.equal(resp.status(), 200, 'GET /units/new');
    await page.locator('#code').fill(NEW_UNIT.code);
    await page.locator('#name').fill('');
    await page.locator('#short_name').fill('TĐ thử');
    await page.locator('#kind').selectOption('so_nganh');
    const parent = await page.locator('#parent_id option').evaluateAll(
      (opts) => opts.find((o) => o.textContent.trim().endsWith('(BN)'))?.value);
    assert.ok(parent, 'the parent list offers the province unit (BN)');
    await page.locator('#parent_id').selectOption(parent);
    await page.locator('#active_from').fill('01/01/2026');
    await page.locator('#active_to').fill('');
    resp = await submit(page.getByRole('button', { name: 'Lưu' }));
    assert.ok(resp.status() >= 400 && resp.status() < 500,
      `a unit without a name is refused with a 4xx, got ${resp.status()}`);
    assert.ok(await page.locator('#name-err').isVisible(), '#name-err is visible');
    assert.equal(await page.locator('#name').getAttribute('aria-invalid'), 'true', '#name aria-invalid');
    assert.equal(await page.locator('#code').inputValue(), NEW_UNIT.code, 'the code typed is kept');
    await screenshot(page, '05-unit-new-name-missing');
    await checkA11y(page, '/units/new (name missing)');

    await page.locator('#name').fill(NEW_UNIT.name);
    resp = await submit(page.getByRole('button', { name: 'Lưu' }));
    assert.equal(resp.status(), 200, 'the page after saving');
    const m = /^\/units\/(\d+)$/.exec(here().pathname);
    assert.ok(m, `after saving the page is ${page.url()}, not /units/{id}`);
    state.newUnitId = Number(m[1]);
    assert.ok((await page.locator('h1').innerText()).includes(NEW_UNIT.name),
      `the new unit's page is headed with its name`);
    await screenshot(page, '06-unit-created');
    await checkA11y(page, `/units/${state.newUnitId}`);
  });

  step(5, 'logging out; /units then asks to log in', [3], async () => {
    const header = page.locator('header');
    const button = header.getByRole('button', { name: 'Đăng xuất' });
    assert.ok(await button.isVisible(), 'a "Đăng xuất" button in the page header');
    // an inner locator of has: is matched inside each form, so it starts at page
    const form = header.locator('form').filter({ has: page.getByRole('button', { name: 'Đăng xuất' }) });
    assert.equal(await form.getAttribute('action'), '/logout', 'the logout form posts to /logout');
    assert.equal((await form.getAttribute('method') || '').toLowerCase(), 'post', 'the logout form is a POST');
    await submit(button);
    assert.ok(['/login', '/'].includes(here().pathname), `after logging out the page is ${page.url()}`);
    await screenshot(page, '07-logged-out');

    await goto('/units');
    const u = here();
    assert.equal(u.pathname + u.search, '/login?next=%2Funits', `GET /units after logout ended on ${page.url()}`);
  });

  step(6, 'a unit officer opens their own unit, not another', [3], async () => {
    if (failed.has(5)) await context.clearCookies(); // logging out did not work: start afresh
    await login('sonoivu', PASSWORD);
    assert.notEqual(here().pathname, '/login', 'logging in as sonoivu succeeds');
    const own = await apiUnitByCode('SNV');
    let resp = await goto(`/units/${own.id}`);
    assert.equal(resp.status(), 200, `GET /units/${own.id} (own unit SNV)`);
    assert.ok((await page.locator('h1').innerText()).includes(own.name), 'the own unit page names it');
    await screenshot(page, '08-own-unit');
    await checkA11y(page, `/units/${own.id} (own unit)`);

    assert.ok(state.mttqId, 'the id of MTTQ was found in step 3');
    resp = await goto(`/units/${state.mttqId}`);
    assert.ok([403, 404].includes(resp.status()),
      `GET /units/${state.mttqId} (MTTQ) as sonoivu: expected 403 or 404, got ${resp.status()}`);
    const alert = await visibleAlert();
    const h1 = page.locator('h1');
    const explained = alert !== null
      || ((await h1.count()) > 0 && (await h1.first().innerText()).trim() !== '');
    assert.ok(explained, 'the refusal is explained by a role="alert" element or an h1');
    await screenshot(page, '09-other-unit-refused');
    await checkA11y(page, `/units/${state.mttqId} (refused)`);

    // the list offers no action the officer may not take
    await goto('/units');
    assert.equal(await page.getByRole('link', { name: 'Thêm đơn vị' }).count(), 0,
      'a unit officer is not offered "Thêm đơn vị"');
    assert.equal(await page.getByRole('link', { name: 'Nhập từ Excel' }).count(), 0,
      'a unit officer is not offered the unit import');
    await screenshot(page, '10-units-as-unit-officer');
    await checkA11y(page, '/units (unit officer)');
  });

  step(7, 'the admin pages: persons, accounts, audit log, own account', [3], async () => {
    await context.clearCookies();
    await login('admin', PASSWORD);
    assert.equal(here().pathname, '/', 'admin lands on the dashboard');
    const pages = [
      ['/persons', '11-persons'],
      ['/users', '12-users'],
      ['/users/new', '13-user-new'],
      ['/audit', '14-audit'],
      ['/account', '15-account'],
      ['/account/password', '16-password'],
      ['/account/totp', '17-totp-setup'],
      ['/documents', '19-documents'],
      ['/documents/new', '20-document-new'],
      ['/documents/templates', '21-doc-templates'],
      ['/documents/templates/quyet_dinh', '22-doc-template-edit'],
      ['/documents/templates/quyet_dinh/preview', '23-doc-template-preview'],
    ];
    for (const [path, name] of pages) {
      const resp = await goto(path);
      assert.equal(resp.status(), 200, `GET ${path} as admin`);
      await screenshot(page, name);
      await checkA11y(page, path);
    }
    // starting 2FA asks for the password, then shows the QR code to scan
    await goto('/account/totp');
    await page.locator('#password').fill(PASSWORD);
    const started = await submit(page.getByRole('button', { name: 'Bắt đầu' }));
    assert.equal(started.status(), 200, 'POST /account/totp/start');
    assert.ok(await page.getByRole('img', { name: 'Mã QR' }).isVisible(), 'the QR code is shown');
    await screenshot(page, '17b-totp-qr');
    await checkA11y(page, '/account/totp/start (QR)');
    // the audit log holds what step 4 created, by the office user
    await goto('/audit?entity=unit');
    const row = page.locator('table.audit tbody tr').filter({ hasText: 'vanphong' }).first();
    assert.ok(await row.isVisible(), 'the unit created in step 4 is in the audit log, by vanphong');
    // a field error on the new-account form names the field
    await goto('/users/new');
    await page.locator('#login').fill('ngườidùng');
    await page.locator('#display_name').fill('Người dùng thử');
    await page.locator('#password').fill('ngan');
    const resp = await submit(page.getByRole('button', { name: 'Lưu' }));
    assert.equal(resp.status(), 422, 'the new-account form with errors answers 422');
    assert.ok(await page.locator('#login-err').isVisible(), 'the login field has its error');
    assert.ok(await page.locator('#password-err').isVisible(), 'the password field has its error');
    await screenshot(page, '18-user-new-errors');
    await checkA11y(page, '/users (errors)');
  });

  step(8, 'the year of a bloc: the head holds a conference through the pages', [3], async () => {
    await context.clearCookies();
    await login('mttq', PASSWORD);
    assert.notEqual(here().pathname, '/login', 'logging in as mttq succeeds');
    // the dashboard lists the unit's bloc, as its head
    const bloc = page.getByRole('link', { name: 'Khối thi đua MTTQ và các đoàn thể tỉnh' });
    assert.ok(await bloc.first().isVisible(), 'the home page links to the MTTQ bloc');
    await submit(bloc.first());
    assert.match(here().pathname, /^\/groups\/\d+\/\d{4}$/, `the bloc link opens its year (${page.url()})`);
    const yearPath = here().pathname;
    await screenshot(page, '24-group-year');
    await checkA11y(page, `${yearPath} (head of the bloc)`);
    // a conference through the form: a date outside the year first, then a good one
    await submit(page.getByRole('link', { name: 'Thêm hội nghị' }));
    await page.locator('#kind').selectOption('midyear');
    const year = yearPath.split('/').pop();
    // today in Vietnam (UTC+7): a conference is recorded on or after its day
    const vn = new Date(Date.now() + 7 * 3600 * 1000);
    const dd = String(vn.getUTCDate()).padStart(2, '0');
    const mm = String(vn.getUTCMonth() + 1).padStart(2, '0');
    const heldOn = `${dd}/${mm}/${year}`;
    await page.locator('#held_on').fill(`15/07/${Number(year) + 1}`);
    let resp = await submit(page.getByRole('button', { name: 'Tạo hội nghị' }));
    assert.equal(resp.status(), 422, 'a date outside the year is refused');
    assert.ok(await page.locator('#held_on-err').isVisible(), 'the date field has its error');
    await checkA11y(page, 'conference form (errors)');
    await page.locator('#held_on').fill(heldOn);
    await page.locator('#place').fill('Hội trường Ủy ban MTTQ tỉnh');
    resp = await submit(page.getByRole('button', { name: 'Tạo hội nghị' }));
    assert.equal(resp.status(), 200, 'the new conference page opens');
    assert.match(here().pathname, /^\/conferences\/\d+$/, `after creating: ${page.url()}`);
    // attendance of one unit, then the quorum line says how many more are needed
    await page.locator('#att-unit').selectOption({ label: 'Hội Nông dân tỉnh' });
    await page.locator('#att-rep').fill('Phạm Văn Thắng');
    resp = await submit(page.getByRole('button', { name: 'Ghi', exact: true }));
    assert.equal(resp.status(), 200, 'recording attendance answers with the page');
    const body = await page.locator('main').innerText();
    assert.ok(body.includes('1/6'), 'the quorum line counts 1 of 6 present');
    await screenshot(page, '25-conference');
    await checkA11y(page, 'conference page (head)');
    // the other pages of the year
    for (const [path, name] of [['/movements', '26-movements'], ['/movements/new', '27-movement-new'],
      ['/groups', '28-groups'], ['/news', '29-news']]) {
      const r = await goto(path);
      assert.equal(r.status(), 200, `GET ${path} as mttq`);
      await screenshot(page, name);
      await checkA11y(page, path);
    }
    // the year's criteria table, made from the year page
    await goto(yearPath);
    resp = await submit(page.getByRole('button', { name: 'Lập bảng tiêu chí', exact: true }));
    assert.equal(resp.status(), 200, 'the new criteria table opens');
    assert.match(here().pathname, /\/criteria$/, `after making the table: ${page.url()}`);
    state.criteriaPath = here().pathname;
    await screenshot(page, '30-criteria');
    await checkA11y(page, 'criteria table (draft)');
    await goto(yearPath);
    const timeline = await page.locator('ol.timeline').innerText();
    assert.ok(timeline.includes(heldOn), 'the timeline shows the conference on its date');
  });

  step(9, 'the score grid: the unit autosaves a cell, a refused value is explained beside it', [8], async () => {
    assert.ok(state.criteriaPath, 'step 8 made the criteria table');
    // the table of step 8 gets two criteria and is locked, through its JSON routes
    const csrf = (await (await page.request.get(server.at('/api/account'))).json()).csrf;
    assert.ok(csrf, 'the session has a CSRF token');
    const table = (await (await page.request.get(server.at(`/api${state.criteriaPath}`))).json()).table;
    const post = async (path, form) => {
      const r = await page.request.post(server.at(path), {
        form: { ...form, _csrf: csrf }, headers: { Accept: 'application/json' },
      });
      assert.ok(r.status() < 300, `POST ${path}: ${r.status()} ${(await r.text()).slice(0, 300)}`);
      return r.json();
    };
    let t = await post(`/criteria/${table.id}/nodes`, { code: 'I', name: 'Nhiệm vụ chính trị', kind: 'group', max: '10' });
    const group = t.table.nodes.find((n) => n.code === 'I').id;
    await post(`/criteria/${table.id}/nodes`, { code: 'I.1', name: 'Ban hành kế hoạch năm', kind: 'direct', max: '6', parent_id: String(group) });
    t = await post(`/criteria/${table.id}/nodes`, { code: 'I.2', name: 'Báo cáo đúng hạn', kind: 'passfail', max: '4', parent_id: String(group) });
    const i2 = t.table.nodes.find((n) => n.code === 'I.2').id;
    await post(`/criteria/${table.id}/lock`, {});
    // the locked table's page (its tree indented by CSS, within the CSP) links to the grid
    await goto(state.criteriaPath);
    await checkA11y(page, 'criteria table (locked, with its tree)');
    const toGrid = page.locator(`a[href="/criteria/${table.id}/grid"]`).first();
    assert.equal(await toGrid.count(), 1, 'the table page links to the grid');
    await goto(`/criteria/${table.id}/grid`);
    await checkA11y(page, 'score grid (unit officer)');
    // MTTQ writes its own row only: one I.1 box
    const box = page.getByRole('textbox', { name: /^I\.1 — .*: điểm$/ });
    assert.equal(await box.count(), 1, 'one editable I.1 cell: the own unit\'s');
    const cell = page.locator('td.cell', { has: box });
    await box.fill('5,5');
    await box.press('Tab');
    await page.waitForFunction((el) => el.textContent.includes('đã lưu'),
      await cell.locator('.save-state').elementHandle());
    await screenshot(page, '31-grid-saved');
    await page.reload();
    assert.equal(await box.inputValue(), '5,5', 'after reloading the cell holds the saved value');
    // a value above the maximum: the server's message beside the cell, nothing saved
    await box.fill('7');
    await box.press('Enter');
    await page.waitForFunction((el) => el.textContent.includes('từ 0 đến 6'),
      await cell.locator('.save-state').elementHandle());
    assert.ok(await cell.evaluate((el) => el.classList.contains('save-error')), 'the cell is marked refused');
    await screenshot(page, '32-grid-refused');
    await checkA11y(page, 'score grid (refused value)');
    await page.reload();
    assert.equal(await box.inputValue(), '5,5', 'the refused value was not saved');
    // someone else saves the sheet meanwhile (another tab): the cell sends the
    // row's version, now stale, and is refused (409) with an offer to reload
    const unit = await page.locator('tr[data-unit]', { has: box }).getAttribute('data-unit');
    await post(`/criteria/${table.id}/units/${unit}/answers`, { node_id: String(i2), value: '1' });
    await box.fill('4');
    await box.press('Enter');
    await page.waitForFunction((el) => el.textContent.includes('vừa được người khác sửa'),
      await cell.locator('.save-state').elementHandle());
    const again = cell.getByRole('button', { name: 'Tải lại trang' });
    assert.equal(await again.count(), 1, 'a stale save offers to reload');
    await checkA11y(page, 'score grid (stale version)');
    await Promise.all([page.waitForEvent('load'), again.click()]);
    assert.equal(await box.inputValue(), '5,5', 'the stale value was not saved');
    await box.fill('4');
    await box.press('Enter');
    await page.waitForFunction((el) => el.textContent.includes('đã lưu'),
      await cell.locator('.save-state').elementHandle());
  });
});
