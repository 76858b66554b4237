/**
 * "My OKRs" in a real browser: the demo person signs in, the page opens on the current cycle, a rule the server
 * enforces shows beside its field (in English, then Chinese), they write an objective with two key results, set the
 * key results' weights with the live 100% check, reorder key results by keyboard and objectives by drag and drop, edit
 * the objective's deadline, score and category inline, and every change is read back through the official SDK's v1
 * batch_get and the v2 API. Alignments: the objective's existing ones (both ways), aligning it to another person's
 * objective by keyboard, the server's refusal beside the field (English and Chinese), removing one.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SEED } from '../../src/demo/demo-tenant.js';
import { sdkClient } from '../helpers/sdk.js';
import { assertAccessible, describeWithRig, screenshots, signInAt, watchConsole } from './web-helpers.js';

// The page breaks the "content: is required" rule on purpose: chromium logs the refused request.
const EXPECTED = [/status of 400/];

describeWithRig(`My OKRs in the browser`, (rig) => {
  /** The owner's objectives of a cycle through v2 (tenant token), in order, with their key results. */
  const v2Objectives = async (cycleId: string) => {
    const token = await rig.t.tenantToken();
    const list = await rig.t.get(
      `/open-apis/okr/v2/cycles/${cycleId}/objectives?user_id_type=user_id&page_size=100`,
      token,
    );
    assert.equal(list.body.code, 0);
    const objectives = [...list.body.data.items].sort((a: any, b: any) => a.position - b.position);
    return Promise.all(
      objectives.map(async (o: any) => {
        const krs = await rig.t.get(`/open-apis/okr/v2/objectives/${o.id}/key_results?page_size=100`, token);
        return { ...o, krs: [...krs.body.data.items].sort((a: any, b: any) => a.position - b.position) };
      }),
    );
  };
  const textOf = (item: any) => item.content.blocks[0].paragraph.elements[0].text_run.text;

  it('writes an objective with two weighted key results, reorders, edits inline, and it is all stored', async () => {
    const context = await rig.context();
    const page = await context.newPage();
    const noErrors = watchConsole(page, EXPECTED);
    page.on('dialog', (d) => void d.accept());
    await signInAt(page, '/okrs');

    // It opens on the current cycle: the demo's periods are in 2022, so the latest one begun.
    const token = await rig.t.tenantToken();
    const cycles = await rig.t.get(
      `/open-apis/okr/v2/cycles?user_id=${SEED.ownerEmployeeId}&user_id_type=user_id&page_size=100`,
      token,
    );
    const latest = [...cycles.body.data.items].sort((a: any, b: any) => Number(b.start_time) - Number(a.start_time))[0];
    const select = page.getByLabel('Cycle');
    assert.equal(await select.inputValue(), latest.id);
    assert.match((await select.locator('option:checked').textContent())!, /2022/);

    // Switch to the reference cycle (the v1 OKR of the demo): the link says which, so a reload keeps it.
    await select.selectOption(SEED.okrId);
    await page.waitForURL(`**/okrs?cycle=${SEED.okrId}`);
    await page.locator('main [data-ready]').waitFor();
    const cycleId = SEED.okrId;
    // Its first objective mentions people: shown by name (contact look-up), not as a bare "@".
    await page
      .locator('.item-head .text', { hasText: /@[^@\s]+/ })
      .first()
      .waitFor();
    const before = await v2Objectives(cycleId);

    // A rule of the server, beside its field: an objective without text.
    const newObjective = page.getByLabel('New objective');
    await page.getByRole('button', { name: 'Add' }).last().click();
    const violation = page.locator('.new-item .field-error').last();
    assert.equal(await violation.textContent(), 'is required');
    assert.equal(await newObjective.getAttribute('aria-invalid'), 'true');
    assert.equal((await v2Objectives(cycleId)).length, before.length);

    // The objective, then its two key results.
    await newObjective.fill('Ship the okrd web UI');
    await page.getByRole('button', { name: 'Add' }).last().click();
    const n = before.length + 1;
    const card = page.getByRole('region', { name: `Objective ${n}` });
    await card.getByText('Ship the okrd web UI').waitFor();
    for (const kr of ['People sign in', 'People write their OKRs']) {
      await card.getByLabel('New key result').fill(kr);
      await card.getByRole('button', { name: 'Add' }).click();
      await card.getByText(kr).waitFor();
    }

    // Weights: the live check refuses 90%, accepts 100%.
    const weights = card.locator('fieldset.weights');
    await weights.getByLabel('KR 1').fill('70');
    await weights.getByLabel('KR 2').fill('20');
    assert.equal(await weights.getByRole('status').textContent(), 'Weights must add up to 100% (now 90%).');
    assert.equal(await weights.getByRole('button', { name: 'Save weights' }).isDisabled(), true);
    await weights.getByLabel('KR 2').fill('30');
    assert.equal(await weights.getByRole('status').textContent(), 'Sum: 100%');
    await weights.getByRole('button', { name: 'Save weights' }).click();
    await card.locator('.facts dd', { hasText: '70%' }).waitFor();

    let stored = (await v2Objectives(cycleId)).at(-1)!;
    assert.equal(textOf(stored), 'Ship the okrd web UI');
    assert.deepEqual(
      stored.krs.map((k: any) => [textOf(k), k.weight]),
      [
        ['People sign in', 0.7],
        ['People write their OKRs', 0.3],
      ],
    );

    // Keyboard: the second key result's handle, Alt+↑ … here ↑ on the focused handle.
    await card.locator('ol.sortable li').nth(1).locator('.handle').focus();
    await page.keyboard.press('ArrowUp');
    await card.locator('ol.sortable li').first().getByText('People write their OKRs').waitFor();
    stored = (await v2Objectives(cycleId)).at(-1)!;
    assert.deepEqual(
      stored.krs.map((k: any) => textOf(k)),
      ['People write their OKRs', 'People sign in'],
    );
    // Focus stayed on the moved item's handle: Alt+↓ from inside the item moves it back down.
    await page.keyboard.press('Alt+ArrowDown');
    await card.locator('ol.sortable li').first().getByText('People sign in').waitFor();
    stored = (await v2Objectives(cycleId)).at(-1)!;
    assert.equal(textOf(stored.krs[0]), 'People sign in');

    // Drag and drop: the new objective onto the first place.
    const objectiveItems = page.locator('main > div > ol.sortable > li');
    // Both ends in view first: scrolling while the mouse is down makes chromium drag whatever is under it then.
    await page.evaluate(() => window.scrollTo(0, 0));
    await objectiveItems
      .nth(n - 1)
      .locator('.handle')
      .first()
      .dragTo(objectiveItems.first());
    await page.getByRole('region', { name: 'Objective 1' }).getByText('Ship the okrd web UI').waitFor();
    const reordered = await v2Objectives(cycleId);
    assert.equal(textOf(reordered[0]), 'Ship the okrd web UI');
    assert.deepEqual(
      reordered.slice(1).map((o: any) => o.id),
      before.map((o: any) => o.id),
    );

    // Inline edit: deadline, score and category of the objective.
    const first = page.getByRole('region', { name: 'Objective 1' });
    await first.getByRole('button', { name: 'Edit O1' }).click();
    await first.getByLabel('Deadline').fill('2022-03-25');
    await first.getByLabel('Score (0–1)').fill('0.7');
    const category = first.getByLabel('Category');
    const options = await category.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    await category.selectOption(options[1]!);
    await first.getByRole('button', { name: 'Save', exact: true }).click();
    await first.locator('.facts dd', { hasText: '2022-03-25' }).waitFor();
    const edited = (await v2Objectives(cycleId))[0];
    assert.equal(edited.score, 0.7);
    assert.equal(edited.category_id, options[1]);
    // The end of 25 March 2022 in the tenant's time zone (+08:00).
    assert.equal(edited.deadline, String(Date.UTC(2022, 2, 25, 23, 59, 59, 999) - 8 * 3600_000));

    // What a Feishu client sees: the SDK's v1 batch_get.
    const sdk = sdkClient(rig.base);
    const got = await sdk.okr.okr.batchGet({
      params: { okr_ids: [cycleId], user_id_type: 'user_id', lang: 'en_us' },
    });
    assert.equal(got.code, 0);
    const o = got.data!.okr_list![0]!.objective_list!.find((x) => x.id === edited.id)!;
    assert.equal(o.content, 'Ship the okrd web UI');
    assert.deepEqual(
      o.kr_list!.map((k) => [k.content, k.kr_weight]),
      [
        ['People sign in', 70],
        ['People write their OKRs', 30],
      ],
    );

    // Deleting a key result (after the confirmation): the other one takes the whole weight (OQ-32).
    await first.getByRole('button', { name: 'Delete KR2' }).click();
    await first.locator('ol.sortable li').nth(1).waitFor({ state: 'detached' });
    const left = (await v2Objectives(cycleId))[0];
    assert.deepEqual(
      left.krs.map((k: any) => [textOf(k), k.weight]),
      [['People sign in', 1]],
    );

    // The same rule in Chinese.
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('button', { name: '添加' }).last().click();
    assert.equal(await page.locator('.new-item .field-error').last().textContent(), '必填');
    await page.getByRole('button', { name: 'English' }).click();
    noErrors();
    await context.close();
  });

  it('shows the alignments of an objective, aligns it by keyboard, shows a refusal, removes one', async () => {
    const context = await rig.context();
    const page = await context.newPage();
    const noErrors = watchConsole(page, EXPECTED);
    page.on('dialog', (d) => void d.accept());
    await signInAt(page, '/okrs');
    const cycleId = await page.getByLabel('Cycle').inputValue();
    const first = (await v2Objectives(cycleId))[0];
    const token = await rig.t.tenantToken();
    /** The objective's alignments through v2, as [from owner, to owner] employee ids. */
    const v2Alignments = async (objectiveId: string) => {
      const res = await rig.t.get(
        `/open-apis/okr/v2/objectives/${objectiveId}/alignments?user_id_type=user_id&page_size=100`,
        token,
      );
      assert.equal(res.body.code, 0);
      return res.body.data.items.map((a: any) => [a.from_owner.user_id, a.to_owner.user_id]);
    };

    // The demo: the first objective supports the leader's (Li Na), and those of the people led support it.
    const card = page.getByRole('region', { name: 'Objective 1' });
    const list = card.getByRole('list', { name: 'Alignments of Objective 1' });
    await list.waitFor();
    assert.deepEqual((await list.locator('.direction').allTextContents()).sort(), [
      'Aligned by Wu Fang:',
      'Aligned by Zhang San 9:',
      'Aligned to Li Na:',
    ]);
    assert.deepEqual((await v2Alignments(first.id)).sort(), [
      [SEED.ownerEmployeeId, 'lina'],
      ['wufang', SEED.ownerEmployeeId],
      ['zhangsan9', SEED.ownerEmployeeId],
    ]);
    // The other objectives' texts are shown: the leader's first objective of the period.
    assert.ok((await list.locator('.text').first().textContent())!.length > 0);

    // By keyboard: open the form, find Zhang San 9, pick them, their objective, align.
    await card.getByRole('button', { name: 'Align to another objective… (Objective 1)' }).focus();
    await page.keyboard.press('Enter');
    const form = card.getByRole('form', { name: 'Align Objective 1 to another person’s objective' });
    await page.keyboard.type('Zhang');
    const found = form.getByRole('list', { name: 'People found' }).getByRole('button', { name: 'Zhang San 9' });
    await found.waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await found.evaluate((el) => el === document.activeElement), true);
    await page.keyboard.press('Enter');
    // Focus moves on to their objectives; ↓ picks the first — Zhang San 9's first objective, which supports this
    // one: aligning to it would make a loop, which the server refuses.
    const target = form.getByLabel('Their objective');
    await target.locator('option:not([value=""])').first().waitFor({ state: 'attached' });
    assert.equal(await target.evaluate((el) => el === document.activeElement), true);
    await page.keyboard.press('ArrowDown');
    const theirs = await target.locator('option:not([value=""])').first().getAttribute('value');
    assert.equal(await target.inputValue(), theirs);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Align');
    await page.keyboard.press('Enter');
    // (Not by role and name: they change with the language below.)
    const refusal = page.locator('section.objective .align-form .field-error');
    await refusal.waitFor();
    assert.equal(
      await refusal.textContent(),
      'that objective already aligns to this one (directly or through others): this would make a loop',
    );
    assert.equal(await target.getAttribute('aria-invalid'), 'true');
    assert.equal(await form.getByRole('alert').count(), 1, 'no other error shown');
    assert.equal(await target.getAttribute('aria-describedby'), await refusal.getAttribute('id'));
    assert.equal((await v2Alignments(first.id)).length, 3, 'nothing stored');
    // The same refusal in Chinese, then accessible at phone width.
    await page.getByRole('button', { name: '中文' }).click();
    assert.equal(await refusal.textContent(), '那个目标已经（直接或间接）对齐到这个目标，会形成循环');
    await page.getByRole('button', { name: 'English' }).click();
    await page.setViewportSize({ width: 390, height: 844 });
    await assertAccessible(page, 'My OKRs, an alignment refused, at phone width');
    await page.setViewportSize({ width: 1280, height: 800 });

    // An objective already aligned to is offered but cannot be chosen.
    await form.getByRole('button', { name: 'Choose someone else' }).click();
    await form.getByLabel('Person').fill('Li Na');
    await form.getByRole('list', { name: 'People found' }).getByRole('button', { name: 'Li Na' }).click();
    const already = target.locator('option', { hasText: '(already aligned)' });
    await already.waitFor({ state: 'attached' });
    assert.equal(await already.count(), 1);
    assert.equal(await already.isDisabled(), true);
    await form.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await card.getByRole('form').count(), 0);
    // Focus is back on the button that opened the form.
    assert.equal(
      await card
        .getByRole('button', { name: 'Align to another objective… (Objective 1)' })
        .evaluate((el) => el === document.activeElement),
      true,
    );

    // Removing an alignment made by someone else to this objective (after the confirmation).
    await list.getByRole('button', { name: /^Remove: Aligned by Wu Fang:/ }).click();
    await list.getByText('Aligned by Wu Fang:').waitFor({ state: 'detached' });
    assert.deepEqual((await v2Alignments(first.id)).sort(), [
      [SEED.ownerEmployeeId, 'lina'],
      ['zhangsan9', SEED.ownerEmployeeId],
    ]);
    noErrors();
    await context.close();
  });

  it('saves screenshots of aligning an objective in both languages and widths', async () => {
    await screenshots(rig, 'my-okrs-align', '/okrs', {
      prepare: async (page) => {
        const card = page.locator('section.objective').first();
        await card.locator('[data-alignments-ready]').waitFor();
        await card.locator('.alignments > button').click();
        await card.locator('.align-form input[type=search]').fill('Li');
        await card.locator('.people-found button').first().click();
        await card.locator('.align-form select option:not([value=""])').first().waitFor({ state: 'attached' });
        await card.locator('.align-form').scrollIntoViewIfNeeded();
      },
    });
  });
});
