// The contact and person-search look-ups (spec §9.3): batch_get_id, users/:user_id, basic_batch, find_by_department,
// departments/:department_id/children and search/v1/user — envelopes, id types, scopes, paging and query counts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALL_SCOPES, EMPLOYEE_ID_SCOPE } from '../../src/contract/scopes.js';
import type { DepartmentRow } from '../../src/store/rows.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { newWorld, type Person, type World } from '../helpers/factories.js';

const USERS = '/open-apis/contact/v3/users';
const DEPARTMENTS = '/open-apis/contact/v3/departments';
const SEARCH = '/open-apis/search/v1/user';
const NO_AVATAR = { avatar_72: '', avatar_240: '', avatar_640: '', avatar_origin: '' };
const ACTIVE = { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false };
const RESIGNED = { ...ACTIVE, is_resigned: true, is_activated: false };

for (const dialect of DIALECTS) {
  describe(`contact look-ups [${dialect}]`, () => {
    let t: TestApp;
    let w: World;
    let token: string;
    let boss: Person, ann: Person, gone: Person, pct: Person, loner: Person;
    let eng: DepartmentRow, backend: DepartmentRow, sales: DepartmentRow;
    let crowdMembers: Person[];

    const send = async (method: 'GET' | 'POST', url: string, bearer: string, payload?: unknown) => {
      const res = await t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        payload: JSON.stringify(payload ?? {}),
      });
      return { status: res.statusCode, body: res.json() };
    };
    const ok = (data: unknown) => ({ code: 0, msg: 'success', data });

    before(async () => {
      t = await testApp(dialect);
      w = await newWorld(t);
      token = await w.tenantToken();
      boss = await w.person({
        employee_id: 'boss',
        name_zh: '王伟',
        name_en: 'Wei Wang',
        email: 'wei.wang@corp.example',
        mobile: '+8613800000000',
      });
      ann = await w.person({
        employee_id: 'ann',
        name_zh: '安娜',
        name_en: 'Anna Li',
        email: 'Anna.Li@corp.example',
        mobile: '13900000001',
        leader: boss,
      });
      gone = await w.person({
        employee_id: 'gone',
        name_zh: '离职者',
        name_en: 'Gone Person',
        email: 'gone@corp.example',
        mobile: '+8613700000000',
        active: false,
        leader: boss,
      });
      pct = await w.person({ employee_id: 'pct', name_zh: '百分', name_en: '100%done', leader: boss });
      loner = await w.person({ employee_id: 'loner', name_zh: '', name_en: 'Loner' });
      eng = await w.department({ name: '研发', department_id: 'eng', leader: boss, members: [ann, gone] });
      backend = await w.department({ name: '后端', department_id: 'backend', parent: eng, members: [pct] });
      sales = await w.department({ name: '销售', department_id: 'sales', members: [boss] });
      crowdMembers = [];
      for (let i = 1; i <= 12; i++) {
        crowdMembers.push(await w.person({ employee_id: `crowd${i}`, name_en: `Crowd Member ${i}`, leader: boss }));
      }
      await w.department({ name: '人群', department_id: 'crowd', parent: sales, members: crowdMembers });
    });
    after(() => t.close());

    describe('POST users/batch_get_id', () => {
      it('answers one entry per asked email and mobile, in order, leaving user_id out for nobody', async () => {
        const { status, body } = await send('POST', `${USERS}/batch_get_id`, token, {
          emails: ['wei.wang@corp.example', 'ANNA.LI@CORP.EXAMPLE', 'gone@corp.example', 'nobody@corp.example'],
          mobiles: ['13800000000', '+8613900000001', '+8613700000000', '+15550000000'],
        });
        assert.equal(status, 200);
        assert.deepEqual(
          body,
          ok({
            user_list: [
              { user_id: boss.open_id, email: 'wei.wang@corp.example', status: ACTIVE },
              { user_id: ann.open_id, email: 'ANNA.LI@CORP.EXAMPLE', status: ACTIVE },
              { email: 'gone@corp.example' },
              { email: 'nobody@corp.example' },
              { user_id: boss.open_id, mobile: '13800000000', status: ACTIVE },
              { user_id: ann.open_id, mobile: '+8613900000001', status: ACTIVE },
              { mobile: '+8613700000000' },
              { mobile: '+15550000000' },
            ],
          }),
        );
      });

      it('answers deactivated people with include_resigned, in the requested id type', async () => {
        const { status, body } = await send('POST', `${USERS}/batch_get_id?user_id_type=union_id`, token, {
          emails: ['gone@corp.example'],
          mobiles: ['+8613700000000'],
          include_resigned: true,
        });
        assert.equal(status, 200);
        assert.deepEqual(
          body,
          ok({
            user_list: [
              { user_id: gone.union_id, email: 'gone@corp.example', status: RESIGNED },
              { user_id: gone.union_id, mobile: '+8613700000000', status: RESIGNED },
            ],
          }),
        );
        const byEmployeeId = await send('POST', `${USERS}/batch_get_id?user_id_type=user_id`, token, {
          mobiles: ['13900000001'],
        });
        assert.deepEqual(byEmployeeId.body.data.user_list, [{ user_id: 'ann', mobile: '13900000001', status: ACTIVE }]);
      });

      it('refuses no values, more than 50 of a kind, and a bad id type', async () => {
        const none = await send('POST', `${USERS}/batch_get_id`, token, {});
        assert.equal(none.status, 400);
        assert.equal(none.body.code, 1001001);
        assert.deepEqual(
          none.body.error.field_violations.map((v: { field: string }) => v.field),
          ['emails', 'mobiles'],
        );
        const many = await send('POST', `${USERS}/batch_get_id`, token, {
          emails: Array.from({ length: 51 }, (_, i) => `x${i}@corp.example`),
        });
        assert.equal(many.status, 400);
        assert.deepEqual(many.body.error.field_violations, [
          { field: 'emails', description: 'must NOT have more than 50 items' },
        ]);
        const badType = await send('POST', `${USERS}/batch_get_id?user_id_type=people_admin_id`, token, {
          emails: ['a@b'],
        });
        assert.deepEqual([badType.status, badType.body.code], [400, 1001001]);
      });

      it('takes user tokens too', async () => {
        const { status, body } = await send('POST', `${USERS}/batch_get_id`, await ann.token(), {
          emails: ['wei.wang@corp.example'],
        });
        assert.equal(status, 200);
        assert.equal(body.data.user_list[0].user_id, boss.open_id);
      });
    });

    describe('GET users/:user_id', () => {
      it('answers a person with leader and departments in the requested id types', async () => {
        const { status, body } = await t.get(`${USERS}/${ann.open_id}`, token);
        assert.equal(status, 200);
        assert.deepEqual(
          body,
          ok({
            user: {
              open_id: ann.open_id,
              union_id: ann.union_id,
              user_id: 'ann',
              name: '安娜',
              en_name: 'Anna Li',
              email: 'Anna.Li@corp.example',
              mobile: '13900000001',
              leader_user_id: boss.open_id,
              department_ids: [eng.open_department_id],
              status: ACTIVE,
              avatar: NO_AVATAR,
            },
          }),
        );
        const other = await t.get(
          `${USERS}/${ann.union_id}?user_id_type=union_id&department_id_type=department_id`,
          token,
        );
        assert.equal(other.body.data.user.leader_user_id, boss.union_id);
        assert.deepEqual(other.body.data.user.department_ids, ['eng']);
        const byEmployee = await t.get(`${USERS}/ann?user_id_type=user_id`, await boss.token());
        assert.equal(byEmployee.body.data.user.leader_user_id, 'boss');
      });

      it('answers someone in no department under the root "0", without leader, email or mobile', async () => {
        const { body } = await t.get(`${USERS}/${loner.open_id}?department_id_type=department_id`, token);
        assert.deepEqual(body.data.user, {
          open_id: loner.open_id,
          union_id: loner.union_id,
          user_id: 'loner',
          name: 'Loner',
          en_name: 'Loner',
          department_ids: ['0'],
          status: ACTIVE,
          avatar: NO_AVATAR,
        });
      });

      it('answers a deactivated person as resigned', async () => {
        const { status, body } = await t.get(`${USERS}/${gone.open_id}`, token);
        assert.equal(status, 200);
        assert.deepEqual(body.data.user.status, RESIGNED);
        assert.deepEqual(body.data.user.department_ids, [eng.open_department_id]);
      });

      it("refuses an unknown user with 1001003, and another tenant's user too", async () => {
        const unknown = await t.get(`${USERS}/ou_nobody`, token);
        assert.equal(unknown.status, 400);
        assert.equal(unknown.body.code, 1001003);
        assert.equal(unknown.body.msg, 'user not found: ou_nobody');
        const w2 = await newWorld(t);
        const stranger = await w2.person();
        const other = await t.get(`${USERS}/${stranger.union_id}?user_id_type=union_id`, token);
        assert.deepEqual([other.status, other.body.code], [400, 1001003]);
      });

      it('leaves employee ids out without the employee-id scope, and refuses user_id_type=user_id', async () => {
        const w2 = await newWorld(t, { scopes: ALL_SCOPES.filter((s) => s !== EMPLOYEE_ID_SCOPE) });
        const p = await w2.person({ email: 'p@w2.example' });
        const tok = await w2.tenantToken();
        const { status, body } = await t.get(`${USERS}/${p.open_id}`, tok);
        assert.equal(status, 200);
        assert.equal('user_id' in body.data.user, false);
        const refused = await t.get(`${USERS}/${p.employee_id}?user_id_type=user_id`, tok);
        assert.deepEqual([refused.status, refused.body.code], [400, 99991672]);
      });

      it('needs a contact scope', async () => {
        const w2 = await newWorld(t, { scopes: ['okr:okr'] });
        const p = await w2.person();
        const refused = await t.get(`${USERS}/${p.open_id}`, await w2.tenantToken());
        assert.equal(refused.status, 400);
        assert.equal(refused.body.code, 99991672);
        assert.deepEqual(
          refused.body.error.permission_violations.map((v: { subject: string }) => v.subject),
          ['contact:user.base:readonly', 'contact:contact:readonly_as_app'],
        );
        const asUser = await t.get(`${USERS}/${p.open_id}`, await p.token());
        assert.deepEqual([asUser.status, asUser.body.code], [400, 99991679]);
      });
    });

    describe('POST users/basic_batch', () => {
      it('answers the names of the users found, in the order asked', async () => {
        const { status, body } = await send('POST', `${USERS}/basic_batch`, token, {
          user_ids: [loner.open_id, 'ou_nobody', ann.open_id, gone.open_id, ann.open_id],
        });
        assert.equal(status, 200);
        assert.deepEqual(
          body,
          ok({
            users: [
              { user_id: loner.open_id, name: 'Loner', i18n_name: { en_us: 'Loner' } },
              { user_id: ann.open_id, name: '安娜', i18n_name: { zh_cn: '安娜', en_us: 'Anna Li' } },
              { user_id: gone.open_id, name: '离职者', i18n_name: { zh_cn: '离职者', en_us: 'Gone Person' } },
            ],
          }),
        );
        const byUnion = await send('POST', `${USERS}/basic_batch?user_id_type=user_id`, token, {
          user_ids: ['boss'],
        });
        assert.deepEqual(byUnion.body.data.users, [
          { user_id: 'boss', name: '王伟', i18n_name: { zh_cn: '王伟', en_us: 'Wei Wang' } },
        ]);
      });

      it('takes 1 to 10 ids', async () => {
        for (const user_ids of [[], Array.from({ length: 11 }, (_, i) => `ou_${i}`)]) {
          const { status, body } = await send('POST', `${USERS}/basic_batch`, token, { user_ids });
          assert.deepEqual([status, body.code, body.error.field_violations[0].field], [400, 1001001, 'user_ids']);
        }
      });
    });

    describe('GET users/find_by_department', () => {
      const find = (query: string, bearer = token) => t.get(`${USERS}/find_by_department?${query}`, bearer);

      it("answers a department's active direct members", async () => {
        const { status, body } = await find(`department_id=eng&department_id_type=department_id&user_id_type=union_id`);
        assert.equal(status, 200);
        assert.deepEqual(
          body,
          ok({
            has_more: false,
            items: [
              {
                open_id: ann.open_id,
                union_id: ann.union_id,
                user_id: 'ann',
                name: '安娜',
                en_name: 'Anna Li',
                email: 'Anna.Li@corp.example',
                mobile: '13900000001',
                leader_user_id: boss.union_id,
                department_ids: ['eng'],
                status: ACTIVE,
                avatar: NO_AVATAR,
              },
            ],
          }),
        );
        const byOpen = await find(`department_id=${backend.open_department_id}`);
        assert.deepEqual(
          byOpen.body.data.items.map((u: { open_id: string }) => u.open_id),
          [pct.open_id],
        );
      });

      it('answers the people in no department for the root "0"', async () => {
        const { body } = await find('department_id=0');
        assert.deepEqual(
          body.data.items.map((u: { open_id: string }) => u.open_id),
          [loner.open_id],
        );
        assert.deepEqual(body.data.items[0].department_ids, ['0']);
      });

      it('pages with page_token in a fixed number of queries', async () => {
        const seen: string[] = [];
        const counts: number[] = [];
        let pageToken: string | undefined;
        for (;;) {
          t.statements.count = 0;
          const { body } = await find(
            `department_id=crowd&department_id_type=department_id&page_size=5${pageToken ? `&page_token=${pageToken}` : ''}`,
          );
          counts.push(t.statements.count);
          seen.push(...body.data.items.map((u: { open_id: string }) => u.open_id));
          if (!body.data.has_more) {
            assert.equal(body.data.page_token, undefined);
            break;
          }
          assert.equal(body.data.items.length, 5);
          pageToken = body.data.page_token;
        }
        assert.deepEqual(
          seen,
          crowdMembers.map((p) => p.open_id),
        );
        assert.equal(new Set(counts).size, 1, `queries per page: ${counts}`);
        t.statements.count = 0;
        const all = await find('department_id=crowd&department_id_type=department_id&page_size=50');
        assert.equal(all.body.data.items.length, 12);
        assert.equal(t.statements.count, counts[0]);
      });

      it('refuses page_size above 50, a foreign page_token and an unknown department', async () => {
        const big = await find('department_id=0&page_size=51');
        assert.deepEqual(
          [big.status, big.body.code, big.body.error.field_violations[0].field],
          [400, 1001001, 'page_size'],
        );
        const bad = await find('department_id=0&page_token=nonsense');
        assert.deepEqual([bad.status, bad.body.code], [400, 1001001]);
        const unknown = await find('department_id=nope&department_id_type=department_id');
        assert.deepEqual([unknown.status, unknown.body.code], [400, 1001004]);
        const missing = await find('');
        assert.deepEqual([missing.status, missing.body.code], [400, 1001001]);
      });
    });

    describe('GET departments/:department_id/children', () => {
      const children = (id: string, query = '', bearer = token) =>
        t.get(`${DEPARTMENTS}/${id}/children?${query}`, bearer);
      const engView = () => ({
        name: '研发',
        i18n_name: { zh_cn: '研发', en_us: '研发' },
        parent_department_id: '0',
        department_id: 'eng',
        open_department_id: eng.open_department_id,
        leader_user_id: boss.open_id,
        // ann, pct (in backend below it) and boss, its leader; gone is deactivated.
        member_count: 3,
        status: { is_deleted: false },
      });

      it('answers the direct children of the root', async () => {
        const { status, body } = await children('0');
        assert.equal(status, 200);
        assert.deepEqual(
          body,
          ok({
            has_more: false,
            items: [
              engView(),
              {
                name: '销售',
                i18n_name: { zh_cn: '销售', en_us: '销售' },
                parent_department_id: '0',
                department_id: 'sales',
                open_department_id: sales.open_department_id,
                member_count: 13,
                status: { is_deleted: false },
              },
            ],
          }),
        );
      });

      it('answers the children of a department, ids in the requested types', async () => {
        const { body } = await children('eng', 'department_id_type=department_id&user_id_type=user_id');
        assert.deepEqual(body.data.items, [
          {
            name: '后端',
            i18n_name: { zh_cn: '后端', en_us: '后端' },
            parent_department_id: 'eng',
            department_id: 'backend',
            open_department_id: backend.open_department_id,
            member_count: 1,
            status: { is_deleted: false },
          },
        ]);
        const byOpen = await children(eng.open_department_id);
        assert.deepEqual(byOpen.body.data.items[0].parent_department_id, eng.open_department_id);
        const leaf = await children(backend.open_department_id);
        assert.deepEqual(leaf.body, ok({ has_more: false, items: [] }));
      });

      it('walks the whole subtree with fetch_child=true, paged', async () => {
        const all = await children('0', 'fetch_child=true&department_id_type=department_id');
        assert.deepEqual(
          all.body.data.items.map((d: { department_id: string }) => d.department_id),
          ['eng', 'backend', 'sales', 'crowd'],
        );
        const under = await children('sales', 'fetch_child=true&department_id_type=department_id');
        assert.deepEqual(
          under.body.data.items.map((d: { department_id: string }) => d.department_id),
          ['crowd'],
        );
        const seen: string[] = [];
        const counts: number[] = [];
        let pageToken: string | undefined;
        for (;;) {
          t.statements.count = 0;
          const { body } = await children(
            '0',
            `fetch_child=true&department_id_type=department_id&page_size=1${pageToken ? `&page_token=${pageToken}` : ''}`,
          );
          counts.push(t.statements.count);
          seen.push(...body.data.items.map((d: { department_id: string }) => d.department_id));
          if (!body.data.has_more) break;
          pageToken = body.data.page_token;
        }
        assert.deepEqual(seen, ['eng', 'backend', 'sales', 'crowd']);
        // The page of 4 departments (one with a leader) takes as many queries as the page of eng alone: the
        // departments, member counts and leaders, one query each (a page without leaders skips the last).
        t.statements.count = 0;
        await children('0', 'fetch_child=true&page_size=50');
        assert.equal(t.statements.count, 3);
        assert.deepEqual(counts, [3, 2, 2, 2]);
      });

      it('refuses an unknown department with 1001004', async () => {
        const { status, body } = await children('nope', 'department_id_type=department_id');
        assert.deepEqual([status, body.code], [400, 1001004]);
        const byOpenType = await children('eng');
        assert.deepEqual([byOpenType.status, byOpenType.body.code], [400, 1001004]);
      });
    });

    describe('GET search/v1/user', () => {
      const search = async (query: string, bearer?: string) =>
        t.get(`${SEARCH}?${query}`, bearer ?? (await ann.token()));

      it('finds active people by name, email or employee id, in any case', async () => {
        const { status, body } = await search(`query=${encodeURIComponent('anna')}`);
        assert.equal(status, 200);
        assert.deepEqual(
          body,
          ok({
            users: [
              {
                name: '安娜',
                open_id: ann.open_id,
                user_id: 'ann',
                department_ids: [eng.open_department_id],
                avatar: NO_AVATAR,
              },
            ],
            has_more: false,
          }),
        );
        const names = async (q: string) =>
          (await search(`query=${encodeURIComponent(q)}`)).body.data.users.map((u: { open_id: string }) => u.open_id);
        assert.deepEqual(await names('王'), [boss.open_id]);
        assert.deepEqual(await names('WEI.WANG@'), [boss.open_id]);
        assert.deepEqual(await names('LONER'), [loner.open_id]);
        assert.deepEqual(await names('gone'), []);
        // LIKE wildcards are literal.
        assert.deepEqual(await names('%'), [pct.open_id]);
        assert.deepEqual(await names('0%d'), [pct.open_id]);
        assert.deepEqual(await names('_'), []);
      });

      it('pages in a fixed number of queries', async () => {
        const seen: string[] = [];
        const counts: number[] = [];
        let pageToken: string | undefined;
        const bearer = await ann.token();
        for (;;) {
          t.statements.count = 0;
          const { body } = await search(
            `query=crowd%20member&page_size=5${pageToken ? `&page_token=${pageToken}` : ''}`,
            bearer,
          );
          counts.push(t.statements.count);
          seen.push(...body.data.users.map((u: { open_id: string }) => u.open_id));
          if (!body.data.has_more) break;
          pageToken = body.data.page_token;
        }
        assert.deepEqual(
          seen,
          crowdMembers.map((p) => p.open_id),
        );
        assert.equal(new Set(counts).size, 1, `queries per page: ${counts}`);
      });

      it('takes user tokens only, and a non-blank query', async () => {
        const tenant = await search('query=anna', token);
        assert.deepEqual([tenant.status, tenant.body.code], [400, 99991663]);
        const blank = await search('query=%20%20');
        assert.deepEqual([blank.status, blank.body.code], [400, 1001001]);
        const missing = await search('');
        assert.deepEqual([missing.status, missing.body.code], [400, 1001001]);
      });

      it('neither shows nor matches employee ids without the employee-id scope', async () => {
        const w2 = await newWorld(t, { scopes: ['search:user'] });
        const p = await w2.person({ employee_id: 'e12345', name_en: 'Searcher' });
        const bearer = await p.token();
        const byName = await search('query=searcher', bearer);
        assert.deepEqual(byName.body.data.users, [
          { name: '成员1', open_id: p.open_id, department_ids: ['0'], avatar: NO_AVATAR },
        ]);
        const byId = await search('query=e12345', bearer);
        assert.deepEqual(byId.body.data.users, []);
      });
    });
  });
}
