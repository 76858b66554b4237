import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveLang } from '../../src/domain/lang.js';

describe('resolveLang', () => {
  it('reads en* as English and ja* as Japanese, in any case and with any region', () => {
    for (const raw of ['en_us', 'en', 'en-GB', 'EN_US', 'English']) assert.equal(resolveLang(raw), 'en', raw);
    for (const raw of ['ja_jp', 'ja', 'ja-JP', 'JA', 'japanese']) assert.equal(resolveLang(raw), 'ja', raw);
  });

  it('reads everything else as Chinese: zh*, other languages, empty or missing', () => {
    for (const raw of ['zh_cn', 'zh_tw', 'zh-HK', 'fr_fr', 'e', 'j', '', ' en_us', '日本語', undefined]) {
      assert.equal(resolveLang(raw), 'zh', String(raw));
    }
  });
});
