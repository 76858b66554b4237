/**
 * The judged end-to-end flow of the web UI (issue 9), in Debian's chromium against a listening okrd with the demo
 * data: the demo person signs in through the authorize page, writes an objective with two key results and weights
 * (the live sum check refusing, then accepting), aligns it to their leader's objective, records progress on it with
 * an @mention and an uploaded image, comments on it; then a Feishu client — the official SDK — reads the same OKR
 * through v1 batch_get (objective, key results with weights, alignment both ways, the progress record's id), the
 * record through v1 progress_records get (mention, image) and the comment through the v2 comment API (v1 carries no
 * comments). axe-core on every page visited; screenshots of the result. The administrator's part of the judged flow
 * (a period and a person, who then signs in) is test/browser/web-admin.test.ts.
 *
 * It also measures how soon the first page of a signed-in person (My OKRs of the demo person) is usable, and prints
 * it: reported, not asserted (timings on a shared machine vary).
 */
import assert from 'node:assert/strict';
import { loadavg } from 'node:os';
import { it } from 'node:test';
import type { Page } from 'playwright-core';
import { SEED } from '../../src/demo/demo-tenant.js';
import { sdkClient } from '../helpers/sdk.js';
import { assertAccessible, describeWithRig, fillSignIn, pageReady, screenshots, watchConsole } from './web-helpers.js';

// A 4×4 red PNG: what the image upload accepts (its type is read from the bytes).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGP4z8AARwzEcQCukw/x0F8jngAAAABJRU5ErkJggg==',
  'base64',
);
const OBJECTIVE = 'Launch the web UI to the whole company';
const KRS = ['Every team signs in', 'Half of the OKRs are written in the UI'];
const LEADER = 'lina';
// The demo app's fixed open_id of the person mentioned (src/demo/demo-tenant.ts).
const ZHANGSAN9_OPEN_ID = 'ou_a79faffdb6aee3618f0da4d42b192466';

/**
 * Reloads My OKRs and times navigation → usable (the list rendered: the first objective's Edit button is there, and
 * React attaches its handlers as it renders); also what the browser saw, for finding out why when it is slow.
 */
async function timeFirstPage(page: Page): Promise<{ ms: number; api: string[] }> {
  const started = Date.now();
  await page.reload();
  await page.getByRole('button', { name: 'Edit O1' }).waitFor();
  const ms = Date.now() - started;
  const api = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => /\/(open-apis|okrd|assets)\//.test(e.name))
      .map((e) => `${new URL(e.name).pathname} ${Math.round(e.startTime)}→${Math.round(e.startTime + e.duration)}`),
  );
  return { ms, api };
}

describeWithRig(`the judged end-to-end flow in the browser`, (rig, dialect) => {
  it('a person signs in, writes, aligns, records progress, comments; a Feishu client sees all of it', async () => {
    const context = await rig.context();
    const page = await context.newPage();
    const noErrors = watchConsole(page);
    const sdk = sdkClient(rig.base);

    // Sign-in through the authorize page (itself checked by axe), back on My OKRs.
    await page.goto('/okrs');
    await page.locator('#login').waitFor();
    await assertAccessible(page, 'the sign-in page');
    const submitted = Date.now();
    await fillSignIn(page);
    await page.waitForURL((u) => u.pathname === '/okrs');
    await pageReady(page);
    const signInMs = Date.now() - submitted;

    // The first page of a signed-in person: reported, not asserted.
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await timeFirstPage(page));
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    console.log(
      `[${dialect}] first page usable (reload → list interactive): ${runs.map((r) => r.ms).join(', ')} ms; ` +
        `sign-in submit → ready ${signInMs} ms; load average ${load}\n  requests of the last run:\n    ` +
        runs.at(-1)!.api.join('\n    '),
    );

    // The page opens on the current cycle (the demo's periods are in 2022: the latest begun).
    const cycleId = await page.getByLabel('Cycle').inputValue();
    const token = await rig.t.tenantToken();
    const cyclesOf = async (userId: string) => {
      const res = await rig.t.get(
        `/open-apis/okr/v2/cycles?user_id=${userId}&user_id_type=user_id&page_size=100`,
        token,
      );
      assert.equal(res.body.code, 0);
      return res.body.data.items as { id: string; start_time: string }[];
    };
    const mine = (await cyclesOf(SEED.ownerEmployeeId)).find((c) => c.id === cycleId)!;
    const leaderCycleId = (await cyclesOf(LEADER)).find((c) => c.start_time === mine.start_time)!.id;
    const leaderObjectives = await rig.t.get(
      `/open-apis/okr/v2/cycles/${leaderCycleId}/objectives?page_size=100`,
      token,
    );
    const leaderObjective = [...leaderObjectives.body.data.items].sort((a: any, b: any) => a.position - b.position)[0];

    // An objective, and two key results.
    await page.getByLabel('New objective').fill(OBJECTIVE);
    await page.getByRole('button', { name: 'Add' }).last().click();
    const card = page.locator('section.objective', { hasText: OBJECTIVE });
    await card.waitFor();
    const label = (await card.getAttribute('aria-label'))!; // "Objective n"
    const n = label.replace('Objective ', '');
    for (const kr of KRS) {
      await card.getByLabel('New key result').fill(kr);
      await card.getByRole('button', { name: 'Add' }).click();
      await card.getByText(kr).waitFor();
    }

    // Weights with the live check: 60 + 30 is refused before anything is sent, 60 + 40 saved.
    const weights = card.locator('fieldset.weights');
    await weights.getByLabel('KR 1').fill('60');
    await weights.getByLabel('KR 2').fill('30');
    assert.equal(await weights.getByRole('status').textContent(), 'Weights must add up to 100% (now 90%).');
    assert.equal(await weights.getByRole('button', { name: 'Save weights' }).isDisabled(), true);
    await weights.getByLabel('KR 2').fill('40');
    assert.equal(await weights.getByRole('status').textContent(), 'Sum: 100%');
    await weights.getByRole('button', { name: 'Save weights' }).click();
    await card.locator('.facts dd', { hasText: '60%' }).waitFor();

    // Aligned to the leader's first objective: the person found by name, their cycle of the period, the objective.
    await card.getByRole('button', { name: `Align to another objective… (${label})` }).click();
    const form = card.getByRole('form', { name: `Align ${label} to another person’s objective` });
    await form.getByLabel('Person').fill('Li Na');
    await form.getByRole('list', { name: 'People found' }).getByRole('button', { name: 'Li Na' }).click();
    assert.equal(await form.getByLabel('Their cycle').inputValue(), leaderCycleId);
    const target = form.getByLabel('Their objective');
    await target.locator(`option[value="${leaderObjective.id}"]`).waitFor({ state: 'attached' });
    await target.selectOption(leaderObjective.id);
    await assertAccessible(page, 'My OKRs, aligning an objective');
    await form.getByRole('button', { name: 'Align' }).click();
    const alignments = card.getByRole('list', { name: `Alignments of ${label}` });
    await alignments.getByText('Aligned to Li Na:').waitFor();
    assert.equal(await card.getByRole('form').count(), 0, 'the form closes');

    // Progress on the objective: text, a person found by search, an uploaded image, percent and status.
    await card.getByRole('link', { name: `Progress O${n}` }).click();
    await pageReady(page);
    const editor = page.getByRole('textbox', { name: 'Record progress' });
    await editor.click();
    await page.keyboard.type('Pilot with two teams, ');
    await page.getByRole('button', { name: '@ Mention' }).click();
    await page.getByLabel('Find a person to mention').fill('zhangsan9');
    await page.getByRole('list', { name: 'People found' }).getByRole('button').first().click();
    await editor.locator('.mention').waitFor();
    await page.keyboard.type('runs the training');
    await page
      .locator('.editor input[type=file]')
      .setInputFiles({ name: 'pilot.png', mimeType: 'image/png', buffer: PNG });
    await editor.locator('img[data-token]').waitFor();
    await page.getByLabel('Progress (%)').fill('35');
    await page.getByLabel('Status').selectOption('0');
    await page.getByRole('button', { name: 'Save progress' }).click();
    const record = page.locator('.records li', { hasText: 'Pilot with two teams' });
    await record.locator('.gallery img').waitFor();
    const progressId = (await record.getAttribute('data-record-id'))!;

    // A comment on the objective.
    await page.locator('[data-comments-ready]').last().waitFor();
    await page.getByLabel('New comment').fill('Shall we add a third team?');
    await page.getByRole('button', { name: 'Send' }).last().click();
    await page.locator('.thread', { hasText: 'Shall we add a third team?' }).waitFor();
    await assertAccessible(page, 'progress and comments of the new objective');

    // What a Feishu client sees: v1 batch_get of both OKRs.
    const got = await sdk.okr.okr.batchGet({
      params: { okr_ids: [cycleId, leaderCycleId], user_id_type: 'user_id', lang: 'en_us' },
    });
    assert.equal(got.code, 0);
    const [okr, leaderOkr] = got.data!.okr_list!;
    const o = okr!.objective_list!.find((x) => x.content === OBJECTIVE)!;
    assert.ok(o, JSON.stringify(okr!.objective_list!.map((x) => x.content)));
    assert.deepEqual(
      o.kr_list!.map((k) => [k.content, k.kr_weight]),
      [
        [KRS[0], 60],
        [KRS[1], 40],
      ],
    );
    assert.deepEqual(
      o.aligning_objective_list!.map((a) => [a.id, a.okr_id, a.owner?.user_id]),
      [[leaderObjective.id, leaderCycleId, LEADER]],
    );
    assert.deepEqual(o.aligned_objective_list, []);
    const theirs = leaderOkr!.objective_list!.find((x) => x.id === leaderObjective.id)!;
    assert.ok(
      theirs.aligned_objective_list!.some(
        (a) => a.id === o.id && a.okr_id === cycleId && a.owner?.user_id === SEED.ownerEmployeeId,
      ),
      JSON.stringify(theirs.aligned_objective_list),
    );
    assert.deepEqual(o.progress_record_list, [{ id: progressId }]);
    assert.deepEqual(o.progress_rate, { percent: 35, status: '0' });

    // The record: its mention and its image.
    const rec = await sdk.okr.progressRecord.get({
      path: { progress_id: progressId },
      params: { user_id_type: 'user_id' },
    });
    assert.equal(rec.code, 0);
    const blocks = rec.data!.content!.blocks!;
    const elements = blocks.flatMap((b) => b.paragraph?.elements ?? []);
    // The SDK types only `openId`; okrd adds `userId` when another id type was asked for.
    const person = elements.find((e) => e.type === 'person')?.person as { openId?: string; userId?: string };
    assert.deepEqual(person, { openId: ZHANGSAN9_OPEN_ID, userId: 'zhangsan9' }, JSON.stringify(blocks));
    assert.ok(
      elements.some((e) => e.textRun?.text?.includes('Pilot with two teams')),
      JSON.stringify(blocks),
    );
    const images = blocks.flatMap((b) => b.gallery?.imageList ?? []);
    assert.equal(images.length, 1, JSON.stringify(blocks));
    assert.match(images[0]!.fileToken!, /^box/);
    assert.deepEqual(rec.data!.progress_rate, { percent: 35, status: 0 });

    // The comment, through the v2 comment API.
    const comments = await sdk.request<any>({
      method: 'GET',
      url: 'open-apis/okr/v2/comments',
      params: { target_type: 'objective', target_id: o.id, user_id_type: 'user_id' },
    });
    assert.equal(comments.code, 0);
    assert.deepEqual(
      comments.data.items.map((c: any) => [
        c.commentator_id,
        c.status,
        c.content.blocks[0].paragraph.elements[0].text_run.text,
      ]),
      [[SEED.ownerEmployeeId, 'open', 'Shall we add a third team?']],
    );
    noErrors();
    await context.close();

    // The result as people see it: My OKRs with the alignment, both languages and widths (axe on each).
    await screenshots(rig, 'my-okrs-aligned', `/okrs?cycle=${cycleId}`, {
      prepare: async (p) => {
        await p.locator('[data-alignments-ready]').last().waitFor();
        await p.locator('section.objective').last().scrollIntoViewIfNeeded();
      },
    });
  });
});
