/**
 * Progress and comments in a real browser: the demo person signs in on a key result's progress page, records
 * progress with bold text, a mention of a person found by search and an uploaded image, with percent and status; on
 * their objective they start a comment thread, reply, solve it, and comment on text selected in the objective. What
 * was written is read back through the API as a Feishu client sees it: the v1 progress record get and the v2 comment
 * list. axe on the pages, screenshots in both languages and widths, no console errors.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SEED } from '../../src/demo/demo-tenant.js';
import { assertAccessible, describeWithRig, screenshots, signInAt, watchConsole } from './web-helpers.js';

// A 4×4 red PNG: what the image upload accepts (its type is read from the bytes).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGP4z8AARwzEcQCukw/x0F8jngAAAABJRU5ErkJggg==',
  'base64',
);
const KR_PATH = `/progress/key_result/${SEED.keyResultId}`;
const OBJECTIVE_PATH = `/progress/objective/${SEED.objectiveId}`;

describeWithRig(`Progress and comments in the browser`, (rig) => {
  it('records rich progress on a key result and comments on an objective, all stored', async () => {
    const context = await rig.context();
    const page = await context.newPage();
    const noErrors = watchConsole(page);
    await signInAt(page, KR_PATH);
    const token = await rig.t.tenantToken();

    // The history shows the seed's records, newest first.
    await page.locator('.records li', { hasText: '完成 60%，剩余接口联调中' }).waitFor();

    // Bold text, then a mention found by search, then an uploaded image.
    const editor = page.getByRole('textbox', { name: 'Record progress' });
    await editor.click();
    await page.keyboard.type('Bold news');
    await page.keyboard.press('Shift+Home');
    await page.getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.press('End');
    await page.getByRole('button', { name: '@ Mention' }).click();
    await page.getByLabel('Find a person to mention').fill('zhangsan9');
    await page.getByRole('list', { name: 'People found' }).getByRole('button').first().click();
    await editor.locator('.mention').waitFor();
    await page.keyboard.type('will review');
    await page
      .locator('.editor input[type=file]')
      .setInputFiles({ name: 'chart.png', mimeType: 'image/png', buffer: PNG });
    await editor.locator('img[data-token]').waitFor();
    // An image pasted from the clipboard is uploaded too, and joins the same gallery.
    await editor.evaluate(
      (el, bytes) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], 'pasted.png', { type: 'image/png' }));
        el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      },
      [...PNG],
    );
    await editor.locator('img[data-token]').nth(1).waitFor();
    await page.getByLabel('Progress (%)').fill('55');
    await page.getByLabel('Status').selectOption('1');
    await page.getByRole('button', { name: 'Save progress' }).click();

    const record = page.locator('.records li', { hasText: 'Bold news' });
    await record.waitFor();
    assert.equal(await editor.textContent(), '', 'the form is empty again');
    await record.locator('.gallery img').nth(1).waitFor();
    assert.match((await record.textContent())!, /55%.*At risk/);
    const progressId = (await record.getAttribute('data-record-id'))!;
    // The chart shows the new point.
    await page.locator('.progress-chart svg[aria-label*="55%"]').waitFor();
    await assertAccessible(page, 'progress of a key result');

    // What a Feishu client reads: v1 progress record get.
    const got = await rig.t.get(`/open-apis/okr/v1/progress_records/${progressId}?user_id_type=user_id`, token);
    assert.equal(got.status, 200);
    assert.equal(got.body.code, 0);
    const blocks = got.body.data.content.blocks;
    const elements = blocks.flatMap((b: any) => b.paragraph?.elements ?? []);
    const bold = elements.find((e: any) => e.textRun?.text?.includes('Bold news'));
    assert.equal(bold?.textRun.style?.bold, true, JSON.stringify(blocks));
    const person = elements.find((e: any) => e.type === 'person');
    assert.equal(person?.person.userId, 'zhangsan9', JSON.stringify(blocks));
    const images = blocks.flatMap((b: any) => b.gallery?.imageList ?? []);
    assert.equal(images.length, 2, JSON.stringify(blocks));
    for (const image of images) assert.match(image.fileToken, /^box/);
    assert.notEqual(images[0].fileToken, images[1].fileToken);
    assert.deepEqual(got.body.data.progress_rate, { percent: 55, status: 1 });

    // Editing the record: the document goes back into the editor and comes out the same; only the percent changes.
    await record.getByRole('button', { name: 'Edit' }).click();
    await record.getByRole('textbox', { name: 'Edit the record' }).locator('img[data-token]').nth(1).waitFor();
    await record.getByLabel('Progress (%)').fill('60');
    await record.getByRole('button', { name: 'Save progress' }).click();
    await record.locator('.pill', { hasText: '60%' }).waitFor();
    const edited = await rig.t.get(`/open-apis/okr/v1/progress_records/${progressId}?user_id_type=user_id`, token);
    assert.deepEqual(edited.body.data.content, got.body.data.content);
    assert.deepEqual(edited.body.data.progress_rate, { percent: 60, status: 1 });

    // Deleting one of their records (after the confirmation).
    page.once('dialog', (d) => void d.accept());
    const seedRecord = page.locator('.records li', { hasText: '第二批用例通过' });
    const seedId = (await seedRecord.getAttribute('data-record-id'))!;
    await seedRecord.getByRole('button', { name: 'Delete' }).click();
    await seedRecord.waitFor({ state: 'detached' });
    const gone = await rig.t.get(`/open-apis/okr/v1/progress_records/${seedId}`, token);
    assert.notEqual(gone.body.code, 0);

    // The indicator: start, target, current and a custom unit.
    await page.getByRole('button', { name: 'Edit indicator' }).click();
    await page.getByLabel('Start').fill('0');
    await page.getByLabel('Target').fill('200');
    await page.getByLabel('Current').fill('80');
    await page.getByLabel('Unit', { exact: true }).selectOption('custom');
    await page.getByLabel('Custom unit (up to 5 characters)').fill('件');
    await page.locator('.indicator').getByRole('button', { name: 'Save' }).click();
    await page.locator('.indicator dd', { hasText: '200 件' }).waitFor();
    const indicator = await rig.t.get(`/open-apis/okr/v2/key_results/${SEED.keyResultId}/indicators`, token);
    assert.equal(indicator.body.code, 0);
    assert.deepEqual(
      [
        indicator.body.data.indicator.start_value,
        indicator.body.data.indicator.target_value,
        indicator.body.data.indicator.current_value,
        indicator.body.data.indicator.unit,
      ],
      [0, 200, 80, { unit_type: 1, unit_value: '件' }],
    );

    // A comment on the record itself.
    await record.getByRole('button', { name: 'Comments' }).click();
    await record.getByLabel('New comment').fill('Nice chart');
    await record.getByRole('button', { name: 'Send' }).click();
    await record.locator('.thread', { hasText: 'Nice chart' }).waitFor();
    const onRecord = await rig.t.get(
      `/open-apis/okr/v2/comments?target_type=progress&target_id=${progressId}&user_id_type=user_id`,
      token,
    );
    assert.equal(onRecord.body.code, 0);
    assert.deepEqual(
      onRecord.body.data.items.map((c: any) => [
        c.commentator_id,
        c.content.blocks[0].paragraph.elements[0].text_run.text,
      ]),
      [[SEED.ownerEmployeeId, 'Nice chart']],
    );

    // A thread on the objective: comment, reply, solve.
    await page.goto(OBJECTIVE_PATH);
    await page.locator('main [data-ready]').waitFor();
    await page.locator('[data-comments-ready]').last().waitFor();
    await page.getByLabel('New comment').fill('Is this on track?');
    await page.getByRole('button', { name: 'Send' }).last().click();
    const thread = page.locator('.thread', { hasText: 'Is this on track?' });
    await thread.waitFor();
    await thread.getByLabel('Reply').fill('Yes, see the key results');
    await thread.getByRole('button', { name: 'Send' }).click();
    await thread.locator('.reply', { hasText: 'Yes, see the key results' }).waitFor();
    await thread.getByRole('button', { name: 'Solve' }).click();
    await thread.getByRole('button', { name: 'Reopen' }).waitFor();
    assert.equal(await thread.locator('.status').textContent(), 'Solved');

    // A selection thread: text selected in the objective.
    const selected = await page.locator('.target-text .rich').evaluate((el) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const text = walker.nextNode()!;
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, Math.min(4, text.textContent!.length));
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
      el.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
      return range.toString();
    });
    await page.getByLabel('Comment on the selected text').fill('What does this word mean?');
    await page.locator('.selection-comment').getByRole('button', { name: 'Send' }).click();
    await page.locator('.thread', { hasText: 'What does this word mean?' }).locator('.quote').waitFor();
    await assertAccessible(page, 'progress of an objective with comments');

    const list = await rig.t.get(
      `/open-apis/okr/v2/comments?target_type=objective&target_id=${SEED.objectiveId}&user_id_type=user_id&page_size=100`,
      token,
    );
    assert.equal(list.body.code, 0);
    const comments = list.body.data.items;
    const root = comments.find(
      (c: any) => c.content?.blocks?.[0]?.paragraph?.elements?.[0]?.text_run?.text === 'Is this on track?',
    );
    const reply = comments.find((c: any) => c.ref_comment_id === root?.id);
    assert.ok(root && reply, JSON.stringify(comments));
    assert.equal(root.status, 'solved');
    assert.equal(root.solver_id, SEED.ownerEmployeeId);
    assert.equal(root.commentator_id, SEED.ownerEmployeeId);
    assert.equal(reply.content.blocks[0].paragraph.elements[0].text_run.text, 'Yes, see the key results');
    const onSelection = comments.find((c: any) => c.selection);
    assert.equal(onSelection?.selection.selected_text, selected.trim());
    noErrors();
    await context.close();
  });

  it('saves screenshots of the progress pages in both languages and widths', async () => {
    await screenshots(rig, 'progress', KR_PATH);
    await screenshots(rig, 'progress-comments', OBJECTIVE_PATH, {
      prepare: async (page) => {
        await page.locator('.comments').last().scrollIntoViewIfNeeded();
      },
    });
  });
});
