/**
 * Administration in a real browser (Debian's chromium): 王伟, the demo tenant's administrator, finds it in the
 * navigation, creates a period and a person; the person sets a password through the invitation link the page shows
 * once, and signs in. Someone who does not administer sees no such page. He edits a department (names, parent,
 * leader) and a person (names, email, leader, departments), deactivates the person, deletes an app, and pages through
 * more people than one page holds. Console errors fail the test; axe checks each tab; screenshots of the tabs in
 * Chinese and English at desktop and phone width.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { DEMO_TENANT_ID } from '../../src/demo/demo-tenant.js';
import { DIALECTS } from '../helpers/db.js';
import { assertAccessible, describeWithRig, pageReady, screenshots, signInAt, watchConsole } from './web-helpers.js';

const ADMIN = { login: 'wangwei', password: 'wang-wei-admin-password' };

describeWithRig(`the web UI's administration`, (rig, dialect) => {
  before(async () => {
    // 王伟 has no password in the demo data: he is given one the way the CLI's `user invite` would.
    const { url } = await rig.t.services.signIn.createLink(DEMO_TENANT_ID, ADMIN.login, 'invite');
    const token = new URL(url).searchParams.get('token')!;
    assert.deepEqual(await rig.t.services.signIn.setPassword(token, ADMIN.password), { ok: true });
  });

  const dbRow = <T>(sql: string, args: (string | number)[]) => rig.t.db.read((tx) => tx.get<T>(sql, args));

  it('an administrator creates a period and a person, who sets a password by the invitation and signs in', async () => {
    const context = await rig.context();
    const page = await context.newPage();
    const noErrors = watchConsole(page);
    await signInAt(page, '/admin', ADMIN.login, ADMIN.password);
    assert.equal(await page.locator('header .name').textContent(), 'Wang Wei');
    assert.equal(await page.getAttribute('nav[aria-label="Main navigation"] a[aria-current=page]', 'href'), '/admin');
    await assertAccessible(page, 'admin periods');

    // A period of the demo's rule, from January 2030.
    await page.getByLabel('First month').first().fill('2030-01');
    await page.getByRole('button', { name: 'Create' }).first().click();
    await page.getByRole('cell', { name: '2030-01 – 2030-01' }).waitFor();
    const period = await dbRow<{ status: number; tenant_id: string }>(
      "SELECT status, tenant_id FROM periods WHERE start_month = '2030-01'",
      [],
    );
    assert.equal(period?.tenant_id, DEMO_TENANT_ID);

    // A new person; the invitation is shown once.
    await page.getByRole('link', { name: 'People' }).click();
    await pageReady(page);
    await assertAccessible(page, 'admin people');
    await page.getByLabel('Employee ID').fill('newbie');
    await page.getByLabel('Chinese name').fill('新人');
    await page.getByLabel('English name').fill('New Person');
    await page.getByLabel('Leader').fill('wangwei');
    await page.getByRole('button', { name: 'Create and invite' }).click();
    const shown = page.locator('.shown-once input');
    await shown.waitFor();
    const invitation = new URL(await shown.inputValue());
    assert.equal(invitation.pathname, '/okrd/password');
    await page.getByRole('cell', { name: 'New Person newbie' }).waitFor();
    const person = await dbRow<{ name_en: string; active: number; leader: string }>(
      'SELECT u.name_en, u.active, l.employee_id AS leader FROM users u JOIN users l ON l.id = u.leader_id WHERE u.tenant_id = ? AND u.employee_id = ?',
      [DEMO_TENANT_ID, 'newbie'],
    );
    assert.deepEqual(person, { name_en: 'New Person', active: 1, leader: 'wangwei' });
    noErrors();

    // The new person, at a browser of their own: sets a password by the link, then signs in to the UI.
    const theirs = await rig.context();
    const them = await theirs.newPage();
    const theirErrors = watchConsole(them);
    await them.goto(invitation.pathname + invitation.search);
    await them.locator('#password').fill('newbie-password-1');
    await them.locator('#password2').fill('newbie-password-1');
    await them.locator('form[action="/okrd/password"] button[type=submit]').click();
    await them.locator('[role=status]').waitFor();
    await signInAt(them, '/okrs', 'newbie', 'newbie-password-1');
    assert.equal(await them.locator('header .name').textContent(), 'New Person');
    // Not an administrator: no administration in the navigation, and its path is no page.
    assert.equal(await them.locator('nav a[href="/admin"]').count(), 0);
    await them.goto('/admin');
    await pageReady(them);
    assert.equal(await them.locator('main h1').textContent(), 'There is no page here.');
    theirErrors();
    await theirs.close();
    await context.close();
  });

  it('the other tabs render, each accessible: departments, apps, review links, organisation', async () => {
    const context = await rig.context();
    const page = await context.newPage();
    const noErrors = watchConsole(page);
    await signInAt(page, '/admin?tab=departments', ADMIN.login, ADMIN.password);
    const departments = await rig.t.db.read((tx) =>
      tx.all<{ name_en: string }>('SELECT name_en FROM departments WHERE tenant_id = ?', [DEMO_TENANT_ID]),
    );
    assert.ok(departments.length > 0);
    for (const d of departments) await page.getByRole('cell', { name: d.name_en, exact: true }).first().waitFor();
    await assertAccessible(page, 'admin departments');
    for (const tab of ['Apps', 'Review links', 'Organisation']) {
      await page.getByRole('link', { name: tab, exact: true }).click();
      await pageReady(page);
      await assertAccessible(page, `admin ${tab}`);
    }
    // The organisation's time zone, changed and stored.
    await page.getByLabel(/Time zone/).fill('540');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const tenant = await dbRow<{ utc_offset_minutes: number }>('SELECT utc_offset_minutes FROM tenants WHERE id = ?', [
      DEMO_TENANT_ID,
    ]);
    assert.equal(Number(tenant?.utc_offset_minutes), 540);
    noErrors();
    await context.close();
  });

  it('edits a department and a person, deactivates the person, deletes an app, pages past the first 100 people', async () => {
    // More people than a page holds, sorting after everyone else; an app to delete.
    const total = Number(
      (await dbRow<{ n: number }>('SELECT COUNT(*) AS n FROM users WHERE tenant_id = ?', [DEMO_TENANT_ID]))!.n,
    );
    const extra = Math.max(0, 101 - total) + 20;
    for (let i = 0; i < extra; i++) {
      const id = `zz_bulk_${String(i).padStart(3, '0')}`;
      await rig.t.services.admin.createUser(DEMO_TENANT_ID, { employee_id: id, name_zh: id, name_en: id });
    }
    const old = await rig.t.services.admin.createApp(DEMO_TENANT_ID, 'Old integration', ['okr:okr:readonly']);

    const context = await rig.context();
    const page = await context.newPage();
    const noErrors = watchConsole(page);
    await signInAt(page, '/admin?tab=departments', ADMIN.login, ADMIN.password);

    // A department: English name, parent and leader.
    await page.getByRole('button', { name: 'Edit Sales' }).click();
    const editor = page.locator('form', { has: page.getByRole('heading', { name: 'Edit Sales' }) });
    await editor.getByLabel('English name').fill('Sales & Partners');
    await editor.getByLabel('Parent department').selectOption('product');
    await editor.getByLabel('Leader').fill('liusan');
    await assertAccessible(page, 'admin department editor');
    await editor.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Sales & Partners', exact: true }).waitFor();
    assert.deepEqual(
      await dbRow(
        `SELECT d.name_en, d.name_zh, p.department_id AS parent, u.employee_id AS leader FROM departments d
             JOIN departments p ON p.id = d.parent_id JOIN users u ON u.id = d.leader_id
            WHERE d.tenant_id = ? AND d.department_id = 'sales'`,
        [DEMO_TENANT_ID],
      ),
      { name_en: 'Sales & Partners', name_zh: '销售部', parent: 'product', leader: 'liusan' },
    );

    // A person: names, email, leader and departments; then deactivated.
    await page.getByRole('link', { name: 'People' }).click();
    await pageReady(page);
    await page.getByRole('button', { name: 'Edit Zhou Jie' }).click();
    const person = page.locator('form', { has: page.getByRole('heading', { name: 'Edit Zhou Jie' }) });
    await person.getByLabel('English name').fill('Zhou Jie (Marketing)');
    await person.getByLabel('Email').fill('zhoujie@okrd.example');
    await person.getByLabel('Leader').fill('huangmei');
    await person.getByLabel('Sales & Partners').uncheck();
    await person.getByLabel('Marketing').check();
    await assertAccessible(page, 'admin person editor');
    await person.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Zhou Jie (Marketing) zhoujie' }).waitFor();
    // The box shows what the server stored: it changes once the change is answered.
    await page.getByLabel('Zhou Jie (Marketing) is active').click();
    await page.waitForFunction(
      () => !(document.querySelector('input[aria-label="Zhou Jie (Marketing) is active"]') as HTMLInputElement).checked,
    );
    const zhou = () =>
      dbRow<{ name_en: string; email: string; leader: string; active: number; departments: string }>(
        `SELECT u.name_en, u.email, l.employee_id AS leader, u.active,
                  (SELECT MIN(d.department_id) || '/' || COUNT(*) FROM department_members m
                     JOIN departments d ON d.id = m.department_ref WHERE m.user_ref = u.id) AS departments
             FROM users u JOIN users l ON l.id = u.leader_id WHERE u.tenant_id = ? AND u.employee_id = 'zhoujie'`,
        [DEMO_TENANT_ID],
      );
    for (let i = 0; (await zhou())?.active !== 0 && i < 50; i++) await page.waitForTimeout(100);
    const row = await zhou();
    assert.deepEqual(
      { ...row, active: Number(row?.active) },
      {
        name_en: 'Zhou Jie (Marketing)',
        email: 'zhoujie@okrd.example',
        leader: 'huangmei',
        active: 0,
        departments: 'marketing/1',
      },
    );

    // Past the first hundred people.
    const rows = page.locator('section[aria-labelledby="people-head"] tbody tr');
    assert.equal(await rows.count(), 100);
    await page.getByRole('button', { name: 'Show more' }).click();
    const last = `zz_bulk_${String(extra - 1).padStart(3, '0')}`;
    await page.getByRole('cell', { name: `${last} ${last}` }).waitFor();
    assert.equal(await rows.count(), total + extra);
    assert.equal(await page.getByRole('button', { name: 'Show more' }).count(), 0);

    // An app, deleted after a confirmation.
    await page.getByRole('link', { name: 'Apps' }).click();
    await pageReady(page);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete Old integration' }).click();
    await page.getByRole('heading', { name: 'Old integration' }).waitFor({ state: 'detached' });
    assert.equal(await dbRow('SELECT app_id FROM apps WHERE app_id = ?', [old.app_id]), undefined);
    noErrors();
    await context.close();
  });

  it(
    'screenshots the administration tabs in Chinese and English, axe clean',
    { skip: dialect !== DIALECTS[0] },
    async () => {
      for (const tab of ['periods', 'people', 'departments', 'apps']) {
        await screenshots(rig, `admin-${tab}`, `/admin?tab=${tab}`, { as: ADMIN });
      }
    },
  );
});
