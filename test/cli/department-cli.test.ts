// `okrd department ...` and `okrd user create --department`: the real command on a database holding the demo tenant.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_TENANT_ID, demoTenantDocument } from '../../src/demo/demo-tenant.js';
import { systemClock } from '../../src/domain/clock.js';
import { snowflakeIds } from '../../src/domain/ids.js';
import { buildServices } from '../../src/services/index.js';
import { TransferService } from '../../src/services/transfer.service.js';
import type { Db } from '../../src/store/db.js';
import type { DepartmentRow } from '../../src/store/rows.js';
import { cliDatabase, killOkrdChildren, okrdEnv, runOkrd, type CliDatabase, type CliResult } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/db.js';
import { demoUser } from '../helpers/demo.js';

after(killOkrdChildren);

const T = ['--tenant', DEMO_TENANT_ID];
const ref = (employeeId: string) => demoUser(employeeId).id;

/** `fn` of every item, at most four running at once (each is a process starting TypeScript). */
async function inBatches<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += 4) results.push(...(await Promise.all(items.slice(i, i + 4).map(fn))));
  return results;
}

/** Asserts a failed run: the exit code, nothing on stdout, one line on stderr matching `pattern`. */
function assertOneLineError(r: CliResult, exitCode: number, pattern: RegExp, what = ''): void {
  assert.equal(r.code, exitCode, `exit code of ${what} (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^okrd: [^\n]+\n$/, 'exactly one line on stderr');
  assert.doesNotMatch(r.stderr, /\sat \S+ \(|\sat \S+:\d+:\d+|node:internal|\.ts:\d+/, 'no stack frames');
  assert.match(r.stderr, pattern);
}

/** Asserts a successful run and returns its stdout parsed as JSON. */
function jsonOutput(r: CliResult): any {
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  return JSON.parse(r.stdout);
}

/** Every row a department command may change (all tenants), and the tenant's data_version. */
const snapshot = (db: Db) =>
  db.read(async (tx) => ({
    departments: await tx.all('SELECT * FROM departments ORDER BY id'),
    members: await tx.all('SELECT * FROM department_members ORDER BY department_ref, user_ref'),
    users: await tx.all('SELECT * FROM users ORDER BY id'),
    app_users: await tx.all('SELECT * FROM app_users ORDER BY app_id, user_ref'),
    tenants: await tx.all('SELECT * FROM tenants ORDER BY id'),
  }));

const departmentRow = (db: Db, departmentId: string) =>
  db.read((tx) =>
    tx.get<DepartmentRow>('SELECT * FROM departments WHERE tenant_id = ? AND department_id = ?', [
      DEMO_TENANT_ID,
      departmentId,
    ]),
  );

/** The employee ids of a department's members, sorted. */
const memberIds = (db: Db, departmentId: string) =>
  db.read(async (tx) =>
    (
      await tx.all<{ employee_id: string }>(
        `SELECT u.employee_id FROM department_members m JOIN departments d ON d.id = m.department_ref
           JOIN users u ON u.id = m.user_ref WHERE d.department_id = ? ORDER BY u.employee_id`,
        [departmentId],
      )
    ).map((r) => r.employee_id),
  );

const demoDepartment = (departmentId: string) =>
  (demoTenantDocument().tables.departments as unknown as DepartmentRow[]).find(
    (d) => d.department_id === departmentId,
  )!;

for (const dialect of DIALECTS) {
  describe(`okrd department [${dialect}]`, () => {
    let target: CliDatabase;
    const okrd = (...args: string[]) => runOkrd(args, okrdEnv(target.url));
    before(async () => {
      target = await cliDatabase(dialect);
      await target.use((db) => new TransferService(db).importTenant(demoTenantDocument()));
    });
    after(() => target.drop());

    it('department create stores a department under a parent with a leader and prints it', async () => {
      const started = Date.now();
      const printed = jsonOutput(
        await okrd(
          ...['department', 'create', ...T, '--department-id', 'design', '--name-zh', ' 设计组 '],
          ...['--name-en', 'Design', '--parent', 'product', '--leader', 'zhengqiang'],
        ),
      );
      assert.deepEqual(Object.keys(printed), [
        'department_id',
        'open_department_id',
        'name_zh',
        'name_en',
        'parent_department_id',
        'leader_user_id',
        'member_user_ids',
        'created_at',
        'updated_at',
      ]);
      assert.match(printed.open_department_id, /^od-[0-9a-f]{32}$/);
      assert.ok(printed.created_at >= started - 1000 && printed.created_at <= Date.now() + 1000);
      assert.deepEqual(printed, {
        department_id: 'design',
        open_department_id: printed.open_department_id,
        name_zh: '设计组',
        name_en: 'Design',
        parent_department_id: 'product',
        leader_user_id: 'zhengqiang',
        member_user_ids: [],
        created_at: printed.created_at,
        updated_at: printed.created_at,
      });
      await target.use(async (db) => {
        const row = await departmentRow(db, 'design');
        assert.ok(row);
        assert.match(row.id, /^[1-9][0-9]{0,18}$/);
        assert.deepEqual(row, {
          id: row.id,
          tenant_id: DEMO_TENANT_ID,
          department_id: 'design',
          open_department_id: printed.open_department_id,
          name_zh: '设计组',
          name_en: 'Design',
          parent_id: demoDepartment('product').id,
          leader_id: ref('zhengqiang'),
          created_at: printed.created_at,
          updated_at: printed.created_at,
        });
        assert.deepEqual(await memberIds(db, 'design'), []);
      });
    });

    it('department create with only a Chinese name: under the root, no leader, its id from the open id', async () => {
      const printed = jsonOutput(await okrd('department', 'create', ...T, '--name-zh', '临时项目组', '--parent', '0'));
      assert.match(printed.open_department_id, /^od-[0-9a-f]{32}$/);
      assert.equal(printed.department_id, printed.open_department_id.slice(3));
      assert.equal(printed.name_en, '');
      assert.equal(printed.parent_department_id, '0');
      assert.equal(printed.leader_user_id, null);
      const row = await target.use((db) => departmentRow(db, printed.department_id));
      assert.equal(row!.parent_id, null);
      assert.equal(row!.leader_id, null);
      assert.equal(row!.open_department_id, printed.open_department_id);
    });

    it('add-member and remove-member change the members and print the department', async () => {
      const added = jsonOutput(
        await okrd('department', 'add-member', ...T, '--department-id', 'design', '--user', 'wufang'),
      );
      assert.deepEqual(added.member_user_ids, ['wufang']);
      const again = jsonOutput(
        await okrd('department', 'add-member', ...T, '--department-id', 'design', '--user', 'liusan'),
      );
      assert.deepEqual(again.member_user_ids, ['liusan', 'wufang']);
      await target.use(async (db) => {
        assert.deepEqual(await memberIds(db, 'design'), ['liusan', 'wufang']);
        // Being in another department too is fine: 吴芳 stays in the product team.
        assert.ok((await memberIds(db, 'product')).includes('wufang'));
        const design = (await departmentRow(db, 'design'))!;
        const rows = await db.read((tx) =>
          tx.all<Record<string, unknown>>('SELECT * FROM department_members WHERE department_ref = ?', [design.id]),
        );
        assert.equal(rows.length, 2);
        for (const row of rows) {
          assert.deepEqual(Object.keys(row), ['tenant_id', 'department_ref', 'user_ref', 'created_at']);
          assert.equal(row.tenant_id, DEMO_TENANT_ID);
          assert.ok(Math.abs(Number(row.created_at) - Date.now()) < 60_000);
        }
        assert.deepEqual(rows.map((r) => r.user_ref).sort(), [ref('liusan'), ref('wufang')].sort());
      });

      const removed = jsonOutput(
        await okrd('department', 'remove-member', ...T, '--department-id', 'design', '--user', 'liusan'),
      );
      assert.deepEqual(removed.member_user_ids, ['wufang']);
      assert.deepEqual(await target.use((db) => memberIds(db, 'design')), ['wufang']);
    });

    it('department update renames, moves, changes and removes the leader; updated_at moves on', async () => {
      const before = await target.use((db) => departmentRow(db, 'design'));
      const printed = jsonOutput(
        await okrd(
          ...['department', 'update', ...T, '--department-id', 'design', '--name-zh', '体验设计组'],
          ...['--name-en', 'UX Design', '--parent', 'okrd_demo', '--leader', 'lina'],
        ),
      );
      assert.deepEqual(printed, {
        department_id: 'design',
        open_department_id: before!.open_department_id,
        name_zh: '体验设计组',
        name_en: 'UX Design',
        parent_department_id: 'okrd_demo',
        leader_user_id: 'lina',
        member_user_ids: ['wufang'],
        created_at: before!.created_at,
        updated_at: printed.updated_at,
      });
      assert.ok(printed.updated_at >= before!.updated_at);
      const row = await target.use((db) => departmentRow(db, 'design'));
      assert.deepEqual(row, {
        ...before!,
        name_zh: '体验设计组',
        name_en: 'UX Design',
        parent_id: demoDepartment('okrd_demo').id,
        leader_id: ref('lina'),
        updated_at: printed.updated_at,
      });

      // Only what is given changes; --parent 0 moves it to the root, --leader '' takes the leader away.
      const moved = jsonOutput(
        await okrd('department', 'update', ...T, '--department-id', 'design', '--parent', '0', '--leader', ''),
      );
      assert.equal(moved.name_zh, '体验设计组');
      assert.equal(moved.parent_department_id, '0');
      assert.equal(moved.leader_user_id, null);
      const after = await target.use((db) => departmentRow(db, 'design'));
      assert.equal(after!.parent_id, null);
      assert.equal(after!.leader_id, null);
      assert.equal(after!.name_en, 'UX Design');

      // Two levels down: 设计组 under 销售部 under the company.
      const nested = jsonOutput(
        await okrd('department', 'update', ...T, '--department-id', 'design', '--parent', 'sales'),
      );
      assert.equal(nested.parent_department_id, 'sales');
    });

    it('user create --department makes the new user a member (repeated option and comma list)', async () => {
      const printed = jsonOutput(
        await okrd(
          ...['user', 'create', ...T, '--user-id', 'xiaoming', '--name-zh', '小明', '--leader', 'zhaolei'],
          ...['--department', 'sales', '--department', 'design, marketing', '--department', 'sales'],
        ),
      );
      assert.deepEqual(Object.keys(printed), ['user_id', 'union_id', 'people_admin_id', 'department_ids']);
      assert.deepEqual(printed.department_ids, ['sales', 'design', 'marketing']);
      await target.use(async (db) => {
        for (const d of ['sales', 'design', 'marketing']) assert.ok((await memberIds(db, d)).includes('xiaoming'), d);
        const n = await db.read((tx) =>
          tx.get<{ n: number }>(
            `SELECT COUNT(*) AS n FROM department_members m JOIN users u ON u.id = m.user_ref
              WHERE u.employee_id = 'xiaoming'`,
          ),
        );
        assert.equal(Number(n!.n), 3);
      });
      const plain = jsonOutput(await okrd('user', 'create', ...T, '--user-id', 'xiaohong', '--name-zh', '小红'));
      assert.deepEqual(plain.department_ids, []);
    });

    it('refuses bad input with one line and exit 1 (2 for usage), writing nothing', async () => {
      const before = await target.use(snapshot);
      const create = ['department', 'create', ...T];
      const update = ['department', 'update', ...T, '--department-id'];
      const cases: [string[], number, RegExp][] = [
        [[...create, '--department-id', 'a b', '--name-zh', 'x'], 1, /department_id: 1–64 letters, digits or _ \. -/],
        [[...create, '--department-id', 'x'.repeat(65), '--name-zh', 'x'], 1, /department_id: 1–64/],
        [[...create, '--department-id', '0', '--name-zh', 'x'], 1, /department_id: "0" names the root department/],
        [[...create, '--department-id', 'product', '--name-zh', 'x'], 1, /department_id: product already exists/],
        [[...create, '--name-zh', '  '], 1, /name_zh: must not be empty/],
        [[...create, '--name-zh', 'x'.repeat(101)], 1, /name_zh: at most 100 characters/],
        [[...create, '--name-zh', 'x', '--name-en', 'y'.repeat(101)], 1, /name_en: at most 100 characters/],
        [[...create, '--name-zh', 'x', '--parent', 'ghost'], 1, /parent_department_id: no department ghost/],
        [[...create, '--name-zh', 'x', '--parent', 'a/b'], 1, /parent_department_id: 1–64/],
        [[...create, '--name-zh', 'x', '--leader', 'ghost'], 1, /user not found: ghost/],
        [
          [...create, '--department-id', '!', '--name-zh', ' ', '--parent', '?'],
          1,
          /department_id: 1–64 [^;]+; name_zh: must not be empty; parent_department_id: 1–64/,
        ],
        [
          ['department', 'create', '--tenant', '7000000000000000009', '--name-zh', 'x'],
          1,
          /tenant not found: 7000000000000000009/,
        ],
        [['department', 'create', ...T], 2, /--name-zh is required/],
        [['department', 'create', '--name-zh', 'x'], 2, /--tenant is required/],
        [
          [...update, 'okrd_demo', '--parent', 'design'],
          1,
          /parent_department_id: design is under department okrd_demo: that would make a loop/,
        ],
        [[...update, 'sales', '--parent', 'design'], 1, /parent_department_id: design is under department sales/],
        [[...update, 'okrd_demo', '--parent', 'product'], 1, /would make a loop/],
        [[...update, 'product', '--parent', 'product'], 1, /parent_department_id: product is the department itself/],
        [[...update, 'product', '--leader', 'ghost'], 1, /user not found: ghost/],
        [[...update, 'product', '--name-zh', ''], 1, /name_zh: must not be empty/],
        [[...update, 'ghost', '--name-zh', 'x'], 1, /department not found: ghost/],
        [[...update, 'product'], 2, /department update needs --name-zh, --name-en, --parent or --leader/],
        [['department', 'update', ...T, '--name-zh', 'x'], 2, /--department-id is required/],
        [
          ['department', 'add-member', ...T, '--department-id', 'product', '--user', 'lina'],
          1,
          /user_id: lina is already a member of department product/,
        ],
        [
          ['department', 'add-member', ...T, '--department-id', 'product', '--user', 'ghost'],
          1,
          /user not found: ghost/,
        ],
        [
          ['department', 'add-member', ...T, '--department-id', 'ghost', '--user', 'lina'],
          1,
          /department not found: ghost/,
        ],
        [['department', 'add-member', ...T, '--department-id', 'product'], 2, /--user is required/],
        [
          ['department', 'remove-member', ...T, '--department-id', 'sales', '--user', 'lina'],
          1,
          /user_id: lina is not a member of department sales/,
        ],
        [['department', 'frobnicate', ...T], 2, /unknown command "department frobnicate"/],
        [
          ['user', 'create', ...T, '--user-id', 'nobody', '--department', 'sales,ghost'],
          1,
          /department_ids: no department ghost in this tenant/,
        ],
        [
          ['user', 'create', ...T, '--user-id', 'nobody', '--department', 'a b'],
          1,
          /department_ids: "a b" is not a department id/,
        ],
      ];
      const results = await inBatches(cases, ([args]) => okrd(...args));
      results.forEach((r, i) => assertOneLineError(r, cases[i]![1], cases[i]![2], cases[i]![0].join(' ')));
      assert.deepEqual(await target.use(snapshot), before);
    });

    it('setDepartmentMembers replaces the members, keeping the memberships that stay', async () => {
      await target.use(async (db) => {
        const { admin } = buildServices({ db, clock: systemClock, ids: snowflakeIds(systemClock, 7) });
        const kept = await db.read((tx) =>
          tx.get<{ created_at: number }>(
            'SELECT created_at FROM department_members WHERE user_ref = ? AND department_ref = ?',
            [ref('zhoujie'), demoDepartment('sales').id],
          ),
        );
        const view = await admin.setDepartmentMembers(DEMO_TENANT_ID, 'sales', ['zhoujie', 'wangwei', 'zhoujie']);
        assert.deepEqual(view.member_user_ids, ['wangwei', 'zhoujie']);
        assert.deepEqual(await memberIds(db, 'sales'), ['wangwei', 'zhoujie']);
        const still = await db.read((tx) =>
          tx.get<{ created_at: number }>(
            'SELECT created_at FROM department_members WHERE user_ref = ? AND department_ref = ?',
            [ref('zhoujie'), demoDepartment('sales').id],
          ),
        );
        assert.deepEqual(still, kept);

        const before = await snapshot(db);
        await assert.rejects(admin.setDepartmentMembers(DEMO_TENANT_ID, 'sales', ['sunli', 'ghost']), {
          code: 1001003,
          message: 'user not found: ghost',
        });
        await assert.rejects(admin.setDepartmentMembers(DEMO_TENANT_ID, 'ghost', []), { code: 1001004 });
        assert.deepEqual(await snapshot(db), before);

        assert.deepEqual((await admin.setDepartmentMembers(DEMO_TENANT_ID, 'sales', [])).member_user_ids, []);
      });
    });

    it('is listed in --help', async () => {
      const r = await okrd('--help');
      for (const command of ['create', 'update', 'add-member', 'remove-member']) {
        assert.match(r.stdout, new RegExp(`^ {2}department ${command} --tenant ID `, 'm'), command);
      }
      assert.match(r.stdout, /\[--department DEPARTMENT_ID\]/);
    });
  });
}
