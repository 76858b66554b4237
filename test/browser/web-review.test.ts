/**
 * The review page in a real browser (Debian's chromium) on the demo data: 陈敏 scores an objective and a key result
 * of her March cycle, okrd stores them (v1 scale: 0–100), and the page lists the period's review documents and
 * progress reports okrd holds for her. Console errors fail the test; axe checks the page; screenshots in Chinese and
 * English at desktop and phone width.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SEED } from '../../src/demo/demo-tenant.js';
import { DIALECTS } from '../helpers/db.js';
import { assertAccessible, describeWithRig, screenshots, signInAt, watchConsole } from './web-helpers.js';

describeWithRig(`the web UI's review page`, (rig, dialect) => {
  it('scores an objective and a key result; okrd stores them', async () => {
    const context = await rig.context();
    const page = await context.newPage();
    const noErrors = watchConsole(page);
    await signInAt(page, `/review?cycle=${SEED.okrId}`);
    assert.equal(await page.getByLabel('Cycle').inputValue(), SEED.okrId, 'the switcher shows the linked cycle');
    await assertAccessible(page, 'review');
    const [objective] = await rig.t.db.read((tx) =>
      tx.all<{ id: string }>('SELECT id FROM objectives WHERE okr_id = ? ORDER BY position', [SEED.okrId]),
    );
    const [kr] = await rig.t.db.read((tx) =>
      tx.all<{ id: string }>('SELECT id FROM key_results WHERE objective_id = ? ORDER BY position', [objective!.id]),
    );

    await page.getByLabel('Score of O1 (0–1)').fill('0.7');
    await page.getByLabel('Score of O1 KR1 (0–1)').focus();
    await page.getByText('Saved').first().waitFor();
    await page.getByLabel('Score of O1 KR1 (0–1)').fill('0.4');
    await page.getByRole('heading', { name: 'Review', exact: true }).click();
    await page.getByText('Saved').nth(1).waitFor();
    const score = (table: string, id: string) =>
      rig.t.db.read((tx) => tx.get<{ score: number }>(`SELECT score FROM ${table} WHERE id = ?`, [id]));
    assert.equal(Number((await score('objectives', objective!.id))!.score), 70);
    assert.equal(Number((await score('key_results', kr!.id))!.score), 40);
    // The review documents and progress reports of the cycle's period: as many links as okrd holds.
    const reviews = await rig.t.db.read((tx) =>
      tx.all<{ url: string }>(
        `SELECT r.url FROM reviews r JOIN users u ON u.id = r.user_ref WHERE u.employee_id = ? AND r.period_id = ?`,
        [SEED.ownerEmployeeId, SEED.periodId],
      ),
    );
    assert.ok(reviews.length > 0);
    const shown = await page
      .locator('section[aria-labelledby=review-links] a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(shown.sort(), reviews.map((r) => r.url).sort());
    noErrors();
    await context.close();
  });

  it('screenshots the review page in Chinese and English, axe clean', { skip: dialect !== DIALECTS[0] }, async () => {
    await screenshots(rig, 'review', `/review?cycle=${SEED.okrId}`);
  });
});
