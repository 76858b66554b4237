import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mentionedUsers, paragraph, plainText, type Content, type MentionName } from '../../src/domain/rich-text.js';

const NAMES: ReadonlyMap<string, MentionName> = new Map([
  ['u1', { name_zh: '刘三', name_en: 'Liu San' }],
  ['u2', { name_zh: '张三', name_en: '' }],
  ['u3', { name_zh: '', name_en: 'Only English' }],
]);

describe('plainText', () => {
  it('renders text and mentions in the requested language', () => {
    const content = paragraph('需求', { mention: 'u1' });
    assert.equal(plainText(content, NAMES, 'zh'), '需求@刘三');
    assert.equal(plainText(content, NAMES, 'en'), '需求@Liu San');
    // Users have no Japanese name: Japanese shows the English one (decisions.md OQ-20).
    assert.equal(plainText(content, NAMES, 'ja'), '需求@Liu San');
  });

  it('falls back to the other language when a name is empty, and to a bare @ for an unknown user', () => {
    const content = paragraph({ mention: 'u2' }, ' ', { mention: 'u3' }, ' ', { mention: 'nobody' });
    assert.equal(plainText(content, NAMES, 'zh'), '@张三 @Only English @');
    assert.equal(plainText(content, NAMES, 'en'), '@张三 @Only English @');
    assert.equal(plainText(content, NAMES, 'ja'), '@张三 @Only English @');
  });

  it('puts each paragraph on its own line and skips galleries', () => {
    const content: Content = {
      blocks: [
        ...paragraph('first ', { mention: 'u1' }).blocks!,
        { block_element_type: 'gallery', gallery: { images: [{ file_token: 'f', src: 'https://x/y.png' }] } },
        { block_element_type: 'paragraph', paragraph: { elements: [] } },
        {
          block_element_type: 'paragraph',
          paragraph: {
            style: { list: { list_type: 'bullet', indent_level: 1 } },
            elements: [
              {
                paragraph_element_type: 'textRun',
                text_run: { text: 'bold', style: { bold: true, link: { url: 'https://e.com' } } },
              },
            ],
          },
        },
      ],
    };
    assert.equal(plainText(content, NAMES, 'en'), 'first @Liu San\n\nbold');
  });

  it('shows a docs link as its title, or its url when it has none', () => {
    const content: Content = {
      blocks: [
        {
          paragraph: {
            elements: [
              { paragraph_element_type: 'textRun', text_run: { text: 'see ' } },
              { paragraph_element_type: 'docsLink', docs_link: { url: 'https://doc/1', title: '周报' } },
              { paragraph_element_type: 'textRun', text_run: { text: ' and ' } },
              { paragraph_element_type: 'docsLink', docs_link: { url: 'https://doc/2' } },
            ],
          },
        },
      ],
    };
    assert.equal(plainText(content, NAMES, 'zh'), 'see 周报 and https://doc/2');
  });

  it('renders an empty document as an empty string', () => {
    assert.equal(plainText({}, NAMES, 'zh'), '');
    assert.equal(plainText({ blocks: [] }, NAMES, 'zh'), '');
  });
});

describe('mentionedUsers', () => {
  it('lists mentioned users once each, in order of first appearance, across paragraphs', () => {
    const content: Content = {
      blocks: [
        ...paragraph({ mention: 'u2' }, 'x', { mention: 'u1' }, { mention: 'u2' }).blocks!,
        { block_element_type: 'gallery', gallery: { images: [] } },
        ...paragraph('y', { mention: 'u3' }, { mention: 'u1' }).blocks!,
      ],
    };
    assert.deepEqual(mentionedUsers(content), ['u2', 'u1', 'u3']);
  });

  it('is empty without mentions', () => {
    assert.deepEqual(mentionedUsers(paragraph('no one')), []);
    assert.deepEqual(mentionedUsers({}), []);
  });
});

describe('paragraph', () => {
  it('builds the stored shape: one paragraph of text runs and mentions', () => {
    assert.deepEqual(paragraph('a', { mention: 'u1' }), {
      blocks: [
        {
          block_element_type: 'paragraph',
          paragraph: {
            elements: [
              { paragraph_element_type: 'textRun', text_run: { text: 'a' } },
              { paragraph_element_type: 'mention', mention: { user_id: 'u1' } },
            ],
          },
        },
      ],
    });
  });
});
