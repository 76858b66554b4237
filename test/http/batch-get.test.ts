import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from '../helpers/app.js';
import { Value } from '@sinclair/typebox/value';
import { BatchGetResponse } from '../../src/contract/okr.js';
import { DIALECTS } from '../helpers/db.js';
import { demoOkrsOf, demoTables, demoUser, demoUserByRef } from '../helpers/demo.js';

const FIXTURE = JSON.parse(readFileSync(new URL('../fixtures/seed-batch-get-response.json', import.meta.url), 'utf8'));
const SEED_OKR = '7072252816005349396';
const URL_BASE = '/open-apis/okr/v1/okrs/batch_get';
const ids = (...okrIds: string[]) => okrIds.map((id) => `okr_ids=${id}`).join('&');

for (const dialect of DIALECTS) {
  describe(`GET okrs/batch_get [${dialect}]`, () => {
    let t: TestApp;
    let token: string;
    before(async () => {
      t = await testApp(dialect);
      token = await t.tenantToken();
    });
    after(() => t.close());

    it('reproduces the reference example exactly, with log-id headers', async () => {
      const { status, body, res } = await t.get(`${URL_BASE}?${ids(SEED_OKR)}&user_id_type=open_id&lang=zh_cn`, token);
      assert.equal(status, 200);
      assert.deepEqual(body, FIXTURE);
      assert.match(res.headers['content-type'] as string, /^application\/json/);
      assert.match(res.headers['x-tt-logid'] as string, /^[0-9a-f]{24}$/);
    });

    it('defaults to open_id and zh_cn', async () => {
      const { body } = await t.get(`${URL_BASE}?${ids(SEED_OKR)}`, token);
      assert.deepEqual(body, FIXTURE);
    });

    it('renders period names and mentions in English for lang=en_us', async () => {
      const { body } = await t.get(`${URL_BASE}?${ids(SEED_OKR)}&lang=en_us`, token);
      const okr = body.data.okr_list[0];
      assert.equal(okr.name, 'Mar 2022');
      assert.equal(okr.objective_list[0].content, '需求@Liu San');
      assert.equal(okr.objective_list[0].kr_list[0].content, '1111@Zhang San 9');
      assert.equal(okr.objective_list[0].progress_report, '红豆泥');
    });

    for (const [type, field] of [
      ['union_id', 'union_id'],
      ['user_id', 'employee_id'],
      ['people_admin_id', 'people_admin_id'],
    ] as const) {
      it(`gives user ids of type ${type} beside the open_id`, async () => {
        const { status, body } = await t.get(`${URL_BASE}?${ids(SEED_OKR)}&user_id_type=${type}`, token);
        assert.equal(status, 200);
        const objective = body.data.okr_list[0].objective_list[0];
        const liusan = demoUser('liusan');
        assert.deepEqual(objective.mentioned_user_list, [{ open_id: liusan.open_id, user_id: liusan[field] }]);
      });
    }

    it('returns OKRs in request order, once each, with repeated-key arrays', async () => {
      const [a, b] = demoOkrsOf('wangwei');
      const { body } = await t.get(`${URL_BASE}?${ids(b!.id, SEED_OKR, a!.id, SEED_OKR)}`, token);
      assert.deepEqual(
        body.data.okr_list.map((o: { id: string }) => o.id),
        [b!.id, SEED_OKR, a!.id],
      );
    });

    it('lists alignments both ways with the other objective, its OKR and owner', async () => {
      const alignment = demoTables.alignments[0]!;
      const from = demoTables.objectives.find((o) => o.id === alignment.from_objective_id)!;
      const to = demoTables.objectives.find((o) => o.id === alignment.to_objective_id)!;
      const owner = (okrId: string) => demoUserByRef(demoTables.okrs.find((o) => o.id === okrId)!.owner_id!);
      const { body } = await t.get(`${URL_BASE}?${ids(from.okr_id, to.okr_id)}`, token);
      const objective = (id: string) =>
        body.data.okr_list
          .flatMap((o: { objective_list: { id: string }[] }) => o.objective_list)
          .find((o: { id: string }) => o.id === id);
      const fromOwner = owner(from.okr_id);
      const toOwner = owner(to.okr_id);
      assert.deepEqual(objective(from.id).aligning_objective_list, [
        { id: to.id, okr_id: to.okr_id, owner: { open_id: toOwner.open_id, user_id: toOwner.open_id } },
      ]);
      assert.ok(
        objective(to.id).aligned_objective_list.some(
          (a: unknown) =>
            JSON.stringify(a) ===
            JSON.stringify({
              id: from.id,
              okr_id: from.okr_id,
              owner: { open_id: fromOwner.open_id, user_id: fromOwner.open_id },
            }),
        ),
      );
    });

    it('maps weights, scores and progress of a generated OKR from the stored rows', async () => {
      const okr = demoOkrsOf('lina')[0]!;
      const rows = demoTables.objectives.filter((o) => o.okr_id === okr.id);
      const { body } = await t.get(`${URL_BASE}?${ids(okr.id)}`, token);
      const got = body.data.okr_list[0].objective_list;
      assert.equal(got.length, rows.length);
      for (const [i, row] of rows.entries()) {
        assert.equal(got[i].id, row.id);
        assert.equal(got[i].weight, row.weight_milli / 10);
        assert.equal(got[i].score, row.score);
        assert.deepEqual(got[i].progress_rate, { percent: row.progress_percent, status: String(row.progress_status) });
        const krs = demoTables.key_results.filter((k) => k.objective_id === row.id);
        assert.deepEqual(
          got[i].kr_list.map((k: { id: string; kr_weight: number }) => [k.id, k.kr_weight]),
          krs.map((k) => [k.id, k.weight_milli / 10]),
        );
      }
      assert.equal(
        got.reduce((sum: number, o: { weight: number }) => sum + o.weight, 0),
        100,
      );
    });

    it('runs the same number of statements for 1 OKR and for 10 (no N+1)', async () => {
      const cold = await testApp(dialect, { config: { okrCacheEntries: 0 } });
      try {
        const coldToken = await cold.tenantToken();
        await cold.get('/open-apis/okr/v1/period_rules', coldToken); // verifies (and caches) the token first
        const ten = demoTables.okrs.slice(0, 10).map((o) => o.id);
        cold.statements.count = 0;
        await cold.get(`${URL_BASE}?${ids(ten[0]!)}`, coldToken);
        const one = cold.statements.count;
        cold.statements.count = 0;
        const { body } = await cold.get(`${URL_BASE}?${ids(...ten)}`, coldToken);
        assert.equal(body.data.okr_list.length, 10);
        assert.equal(cold.statements.count, one);
        assert.ok(one <= 7, `batch_get ran ${one} statements`);
      } finally {
        await cold.close();
      }
    });

    it('answers a repeated read from the render cache: one statement, the same bytes', async () => {
      const okr = demoOkrsOf('zhaolei')[0]!.id;
      const first = await t.get(`${URL_BASE}?${ids(okr)}`, token);
      t.statements.count = 0;
      const second = await t.get(`${URL_BASE}?${ids(okr)}`, token);
      assert.equal(t.statements.count, 1);
      assert.equal(second.res.body, first.res.body);
    });

    it('conforms to the BatchGetResponse contract', async () => {
      const { body } = await t.get(`${URL_BASE}?${ids(...demoTables.okrs.slice(0, 10).map((o) => o.id))}`, token);
      assert.ok(
        Value.Check(BatchGetResponse, body),
        JSON.stringify([...Value.Errors(BatchGetResponse, body)].slice(0, 3)),
      );
    });

    describe('visibility under user tokens', () => {
      const restricted = () => demoOkrsOf('huangmei')[0]!.id;
      const userToken = async (employeeId: string) => {
        const auth = t.services.auth;
        return (
          await auth.issueUserToken(demoUser(employeeId).tenant_id, 'cli_okrd_demo', demoUser(employeeId).id, 600)
        ).token;
      };

      it('hides an OKR restricted to the leader chain from others: permission 0 and only its id', async () => {
        const { status, body } = await t.get(`${URL_BASE}?${ids(restricted(), SEED_OKR)}`, await userToken('liusan'));
        assert.equal(status, 200);
        assert.deepEqual(body.data.okr_list[0], { id: restricted(), permission: 0 });
        assert.equal(body.data.okr_list[1].permission, 1);
      });

      for (const who of ['huangmei', 'wangwei']) {
        it(`shows it to ${who === 'huangmei' ? 'its owner' : 'the owner’s leader'}`, async () => {
          const { body } = await t.get(`${URL_BASE}?${ids(restricted())}`, await userToken(who));
          assert.equal(body.data.okr_list[0].permission, 1);
          assert.ok(body.data.okr_list[0].objective_list.length > 0);
        });
      }

      it('shows it to a tenant token with an OKR scope', async () => {
        const { body } = await t.get(`${URL_BASE}?${ids(restricted())}`, token);
        assert.equal(body.data.okr_list[0].permission, 1);
      });
    });

    describe('bad input', () => {
      const expectInvalid = async (query: string, field: RegExp, code = 1001001) => {
        const { status, body } = await t.get(`${URL_BASE}?${query}`, token);
        assert.equal(status, 400, JSON.stringify(body));
        assert.equal(body.code, code);
        assert.match(body.msg, field);
        assert.match(body.error.log_id, /^[0-9a-f]{24}$/);
        assert.equal(body.data, undefined);
      };

      it('rejects more than 10 ids', () =>
        expectInvalid(
          ids(...Array.from({ length: 11 }, (_, i) => String(7000000000000000000n + BigInt(i)))),
          /okr_ids: must NOT have more than 10 items/,
        ));
      it('rejects a missing okr_ids', () => expectInvalid('lang=zh_cn', /okr_ids: is required/));
      it('rejects a non-numeric id', () => expectInvalid(ids('abc'), /okr_ids\[0\]: must match pattern/));
      it('rejects SQL in an id', () => expectInvalid(ids(encodeURIComponent("1' OR '1'='1")), /okr_ids\[0\]/));
      it('rejects a negative or zero-padded id', () => expectInvalid(ids('-1'), /okr_ids\[0\]/));
      it('rejects an unknown user_id_type, naming the allowed values', () =>
        expectInvalid(
          `${ids(SEED_OKR)}&user_id_type=email`,
          /user_id_type: must be equal to one of the allowed values \(open_id, union_id, user_id, people_admin_id\)/,
        ));
      it('rejects a lang longer than 32 characters', () =>
        expectInvalid(`${ids(SEED_OKR)}&lang=${'x'.repeat(33)}`, /lang: must NOT have more than 32 characters/));
      it('fails the whole call on an unknown id, naming it (OQ-11)', () =>
        expectInvalid(ids(SEED_OKR, '123456789'), /okr data not found: okr_id 123456789/, 1001004));
    });
  });
}
