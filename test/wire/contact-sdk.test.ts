// The official Node SDK's contact look-ups (spec §9.3) against a listening okrd: client.contact.v3.user.batchGetId /
// get / basicBatch / findByDepartment(+WithIterator), client.contact.v3.department.children(+WithIterator), and the
// person search through client.request (the SDK 1.74.0 has no client.search.v1.user).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import type { DepartmentRow } from '../../src/store/rows.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { newWorld, type Person, type World } from '../helpers/factories.js';
import { listenForSdk, rejection, sdkClient } from '../helpers/sdk.js';

const NO_AVATAR = { avatar_72: '', avatar_240: '', avatar_640: '', avatar_origin: '' };
const ACTIVE = { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false };

/** Every page an iterator yields (never a failed request), until it stops. */
async function walk<T>(iterable: Promise<AsyncIterable<{ items?: T[] } | null>>): Promise<T[][]> {
  const pages: T[][] = [];
  for await (const page of await iterable) {
    assert.ok(page?.items, `page ${pages.length + 1} of the iterator is a failed request: ${JSON.stringify(page)}`);
    assert.deepEqual(Object.keys(page), ['items']);
    pages.push(page.items);
    assert.ok(pages.length <= 20, 'the iterator does not stop');
  }
  return pages;
}

for (const dialect of DIALECTS) {
  describe(`official Node SDK: contact look-ups [${dialect}]`, () => {
    let t: TestApp;
    let w: World;
    let client: lark.Client;
    let boss: Person, ann: Person;
    let team: Person[];
    let eng: DepartmentRow;
    let subs: DepartmentRow[];

    before(async () => {
      t = await testApp(dialect);
      const domain = await listenForSdk(t);
      w = await newWorld(t);
      client = sdkClient(domain, w.appSecret, w.appId);
      boss = await w.person({ employee_id: 'boss', name_zh: '王伟', name_en: 'Wei Wang', email: 'wei@corp.example' });
      ann = await w.person({
        employee_id: 'ann',
        name_zh: '安娜',
        name_en: 'Anna Li',
        email: 'anna@corp.example',
        mobile: '+8613900000001',
        leader: boss,
      });
      team = [ann];
      for (let i = 1; i <= 4; i++) team.push(await w.person({ employee_id: `dev${i}`, name_en: `Dev ${i}` }));
      eng = await w.department({ name: '研发', department_id: 'eng', leader: boss, members: team });
      subs = [];
      for (let i = 1; i <= 3; i++) subs.push(await w.department({ department_id: `sub${i}`, parent: eng }));
    });
    after(() => t.close());

    it('user.batchGetId answers ids by email and mobile', async () => {
      const res = await client.contact.v3.user.batchGetId({
        params: { user_id_type: 'user_id' },
        data: { emails: ['ANNA@corp.example', 'nobody@corp.example'], mobiles: ['13900000001'] },
      });
      assert.deepEqual(res, {
        code: 0,
        msg: 'success',
        data: {
          user_list: [
            { user_id: 'ann', email: 'ANNA@corp.example', status: ACTIVE },
            { email: 'nobody@corp.example' },
            { user_id: 'ann', mobile: '13900000001', status: ACTIVE },
          ],
        },
      });
    });

    it('user.get answers a person, and the SDK throws 1001003 for nobody', async () => {
      const res = await client.contact.v3.user.get({
        path: { user_id: ann.open_id },
        params: { department_id_type: 'department_id' },
      });
      assert.deepEqual(res.data, {
        user: {
          open_id: ann.open_id,
          union_id: ann.union_id,
          user_id: 'ann',
          name: '安娜',
          en_name: 'Anna Li',
          email: 'anna@corp.example',
          mobile: '+8613900000001',
          leader_user_id: boss.open_id,
          department_ids: ['eng'],
          status: ACTIVE,
          avatar: NO_AVATAR,
        },
      });
      const { status, data } = await rejection(client.contact.v3.user.get({ path: { user_id: 'ou_nobody' } }));
      assert.deepEqual([status, data.code], [400, 1001003]);
    });

    it('user.basicBatch answers names, with a user token too', async () => {
      const res = await client.contact.v3.user.basicBatch(
        { params: { user_id_type: 'union_id' }, data: { user_ids: [boss.union_id, ann.union_id] } },
        lark.withUserAccessToken(await ann.token()),
      );
      assert.deepEqual(res.data, {
        users: [
          { user_id: boss.union_id, name: '王伟', i18n_name: { zh_cn: '王伟', en_us: 'Wei Wang' } },
          { user_id: ann.union_id, name: '安娜', i18n_name: { zh_cn: '安娜', en_us: 'Anna Li' } },
        ],
      });
    });

    it('user.findByDepartment and findByDepartmentWithIterator walk the direct members', async () => {
      const first = await client.contact.v3.user.findByDepartment({
        params: { department_id: 'eng', department_id_type: 'department_id', page_size: 2 },
      });
      assert.equal(first.code, 0);
      assert.equal(first.data!.has_more, true);
      assert.ok(first.data!.page_token);
      assert.deepEqual(
        first.data!.items!.map((u) => u.open_id),
        [ann.open_id, team[1]!.open_id],
      );
      const pages = await walk(
        client.contact.v3.user.findByDepartmentWithIterator({
          params: { department_id: eng.open_department_id, page_size: 2 },
        }),
      );
      assert.deepEqual(
        pages.map((p) => p.map((u) => u.open_id)),
        [[team[0]!.open_id, team[1]!.open_id], [team[2]!.open_id, team[3]!.open_id], [team[4]!.open_id]],
      );
      const root = await client.contact.v3.user.findByDepartment({ params: { department_id: '0' } });
      assert.deepEqual(
        root.data!.items!.map((u) => u.open_id),
        [boss.open_id],
      );
    });

    it('department.children and childrenWithIterator walk the child departments', async () => {
      const res = await client.contact.v3.department.children({
        path: { department_id: '0' },
        params: { department_id_type: 'department_id', user_id_type: 'user_id' },
      });
      assert.deepEqual(res.data, {
        has_more: false,
        items: [
          {
            name: '研发',
            i18n_name: { zh_cn: '研发', en_us: '研发' },
            parent_department_id: '0',
            department_id: 'eng',
            open_department_id: eng.open_department_id,
            leader_user_id: 'boss',
            member_count: 6,
            status: { is_deleted: false },
          },
        ],
      });
      const pages = await walk(
        client.contact.v3.department.childrenWithIterator({
          path: { department_id: eng.open_department_id },
          params: { page_size: 2 },
        }),
      );
      assert.deepEqual(
        pages.map((p) => p.map((d) => d.open_department_id)),
        [[subs[0]!.open_department_id, subs[1]!.open_department_id], [subs[2]!.open_department_id]],
      );
      assert.equal(pages[0]![0]!.parent_department_id, eng.open_department_id);
      const tree = await walk(
        client.contact.v3.department.childrenWithIterator({
          path: { department_id: '0' },
          params: { fetch_child: true, page_size: 3, department_id_type: 'department_id' },
        }),
      );
      assert.deepEqual(
        tree.map((p) => p.map((d) => d.department_id)),
        [['eng', 'sub1', 'sub2'], ['sub3']],
      );
      const { status, data } = await rejection(
        client.contact.v3.department.children({ path: { department_id: 'od-nope' } }),
      );
      assert.deepEqual([status, data.code], [400, 1001004]);
    });

    it('search/v1/user through client.request with a user token; a tenant token is refused', async () => {
      const asAnn = lark.withUserAccessToken(await ann.token());
      const first = await client.request<any>(
        { method: 'GET', url: 'open-apis/search/v1/user', params: { query: 'dev', page_size: 3 } },
        asAnn,
      );
      assert.equal(first.code, 0);
      assert.deepEqual(
        first.data.users.map((u: { user_id: string }) => u.user_id),
        ['dev1', 'dev2', 'dev3'],
      );
      assert.equal(first.data.has_more, true);
      const second = await client.request<any>(
        {
          method: 'GET',
          url: 'open-apis/search/v1/user',
          params: { query: 'dev', page_size: 3, page_token: first.data.page_token },
        },
        asAnn,
      );
      assert.deepEqual(second, {
        code: 0,
        msg: 'success',
        data: {
          users: [
            {
              name: '成员6',
              open_id: team[4]!.open_id,
              user_id: 'dev4',
              department_ids: [eng.open_department_id],
              avatar: NO_AVATAR,
            },
          ],
          has_more: false,
        },
      });
      const { status, data } = await rejection(
        client.request({ method: 'GET', url: 'open-apis/search/v1/user', params: { query: 'dev' } }),
      );
      assert.deepEqual([status, data.code], [400, 99991663]);
    });
  });
}
