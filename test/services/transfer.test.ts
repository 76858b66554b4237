import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoTenantDocument, DEMO_TENANT_ID } from '../../src/demo/demo-tenant.js';
import { TransferService } from '../../src/services/transfer.service.js';
import { DIALECTS, freshDb } from '../helpers/db.js';

for (const dialect of DIALECTS) {
  describe(`tenant import [${dialect}]`, () => {
    it('imports a document from before a table existed as if that table were empty', async () => {
      const { db, drop } = await freshDb(dialect);
      try {
        const doc = demoTenantDocument() as unknown as { tables: Record<string, unknown> };
        delete doc.tables.reviews;
        delete doc.tables.images;
        const transfer = new TransferService(db);
        assert.equal(await transfer.importTenant(doc), DEMO_TENANT_ID);
        const exported = await transfer.exportTenant(DEMO_TENANT_ID);
        assert.deepEqual(exported.tables.reviews, []);
        assert.deepEqual(exported.tables.images, []);
        assert.equal(exported.tables.okrs.length, (demoTenantDocument().tables.okrs as unknown[]).length);
      } finally {
        await drop();
      }
    });

    it('refuses a reference that points outside the document (into another tenant)', async () => {
      const { db, drop } = await freshDb(dialect);
      try {
        const transfer = new TransferService(db);
        await transfer.importTenant(demoTenantDocument());
        const other = demoTenantDocument();
        const tables = other.tables as unknown as Record<string, Record<string, unknown>[]>;
        // A second tenant whose only objective claims the demo tenant's reference OKR.
        const tenant = { ...tables.tenants![0]!, id: '42' };
        const objective = { ...tables.objectives![0]!, id: '43', tenant_id: '42', okr_id: '7072252816005349396' };
        const doc = { format: 'okrd-tenant', version: 1, tables: { tenants: [tenant], objectives: [objective] } };
        await assert.rejects(
          transfer.importTenant(doc),
          /objectives.okr_id 7072252816005349396 points outside the document/,
        );
      } finally {
        await drop();
      }
    });

    it('refuses rows that claim another tenant, writing nothing', async () => {
      const { db, drop } = await freshDb(dialect);
      try {
        const doc = demoTenantDocument();
        (doc.tables.okrs[0] as { tenant_id: string }).tenant_id = '1';
        await assert.rejects(new TransferService(db).importTenant(doc), /okrs holds rows of another tenant/);
        const n = await db.read((tx) => tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM tenants'));
        assert.equal(Number(n!.n), 0);
      } finally {
        await drop();
      }
    });
  });
}
