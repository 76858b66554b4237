import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alignmentRule, type AlignmentEdge, type AlignmentEnd } from '../../src/domain/alignment.js';

const Q1 = { start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 3, 1) - 1 };
const Q2 = { start: Date.UTC(2026, 3, 1), end: Date.UTC(2026, 6, 1) - 1 };
const YEAR = { start: Date.UTC(2026, 0, 1), end: Date.UTC(2027, 0, 1) - 1 };
const obj = (objectiveId: string, ownerKey: string, cycle = Q1): AlignmentEnd => ({ objectiveId, ownerKey, ...cycle });
const edge = (from: string, to: string): AlignmentEdge => ({ from, to });

describe('alignmentRule', () => {
  it('allows aligning to another owner in an overlapping cycle', () => {
    assert.equal(alignmentRule(obj('1', 'alice'), obj('2', 'bob'), []), undefined);
    assert.equal(alignmentRule(obj('1', 'alice', Q2), obj('2', 'bob', YEAR), []), undefined, 'quarter inside year');
    assert.equal(alignmentRule(obj('1', 'alice', YEAR), obj('2', 'bob', Q1), []), undefined, 'year around quarter');
  });

  it('refuses aligning an objective to itself', () => {
    assert.equal(alignmentRule(obj('1', 'alice'), obj('1', 'alice'), []), 'an objective cannot align to itself');
  });

  it('refuses aligning to an objective of the same owner', () => {
    assert.equal(alignmentRule(obj('1', 'alice'), obj('2', 'alice'), []), 'you cannot align to your own objective');
    assert.equal(
      alignmentRule(obj('1', 'dept:7', Q1), obj('2', 'dept:7', YEAR), []),
      'you cannot align to your own objective',
    );
  });

  it('refuses cycles that do not overlap, counting both ends as inside', () => {
    const text = "the two objectives' cycles do not overlap in time";
    assert.equal(alignmentRule(obj('1', 'alice', Q1), obj('2', 'bob', Q2), []), text);
    assert.equal(alignmentRule(obj('1', 'alice', Q2), obj('2', 'bob', Q1), []), text);
    const touching = { start: Q1.end, end: Q2.end };
    assert.equal(alignmentRule(obj('1', 'alice', Q1), obj('2', 'bob', touching), []), undefined, 'one shared ms');
  });

  it('refuses a pair that is already aligned, but not the pair in another direction through a third', () => {
    assert.equal(alignmentRule(obj('1', 'alice'), obj('2', 'bob'), [edge('1', '2')]), 'already aligned to objective 2');
    assert.equal(alignmentRule(obj('1', 'alice'), obj('3', 'carol'), [edge('1', '2'), edge('2', '3')]), undefined);
  });

  it('refuses an alignment that would close a loop', () => {
    const text = 'aligning to objective 2 would make a loop of alignments';
    assert.equal(alignmentRule(obj('1', 'alice'), obj('2', 'bob'), [edge('2', '1')]), text, 'direct back-edge');
    assert.equal(
      alignmentRule(obj('1', 'alice'), obj('2', 'bob'), [edge('2', '3'), edge('3', '4'), edge('4', '1')]),
      text,
      'long way round',
    );
    assert.equal(
      alignmentRule(obj('1', 'alice'), obj('2', 'bob'), [edge('2', '3'), edge('3', '2'), edge('5', '1')]),
      undefined,
      'a loop elsewhere neither hangs the walk nor counts',
    );
  });

  it('walks many branches without revisiting', () => {
    const edges: AlignmentEdge[] = [];
    for (let i = 0; i < 200; i++) edges.push(edge(`n${i}`, `n${i + 1}`), edge(`n${i}`, `n${i + 2}`));
    assert.equal(alignmentRule(obj('n300', 'a'), obj('n0', 'b'), edges), undefined);
    edges.push(edge('n201', 'n300'));
    assert.match(alignmentRule(obj('n300', 'a'), obj('n0', 'b'), edges) ?? '', /loop/);
  });
});
