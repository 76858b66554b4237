import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFullOrder, MAX_POSITION } from '../../src/domain/positions.js';

describe('checkFullOrder', () => {
  const current = ['a', 'b', 'c'];

  it('accepts any permutation of the current ids', () => {
    for (const order of [
      ['a', 'b', 'c'],
      ['c', 'b', 'a'],
      ['b', 'c', 'a'],
    ]) {
      assert.equal(checkFullOrder(current, order), undefined, order.join());
    }
    assert.equal(checkFullOrder([], []), undefined, 'nothing to order');
  });

  it('names an id listed twice', () => {
    assert.equal(checkFullOrder(current, ['a', 'b', 'a']), 'a is listed more than once');
    assert.equal(checkFullOrder(current, ['a', 'b', 'c', 'c']), 'c is listed more than once');
  });

  it('names an id that is not being ordered', () => {
    assert.equal(checkFullOrder(current, ['a', 'x', 'b', 'c']), 'x is not one of the items being ordered');
    assert.equal(checkFullOrder(current, ['a', 'b', 'x']), 'x is not one of the items being ordered');
    assert.equal(checkFullOrder([], ['x']), 'x is not one of the items being ordered');
  });

  it('names the first id left out', () => {
    assert.equal(checkFullOrder(current, ['a', 'c']), 'b is missing: the order must list every item');
    assert.equal(checkFullOrder(current, []), 'a is missing: the order must list every item');
  });

  it('allows 100 items and refuses more', () => {
    const ids = Array.from({ length: MAX_POSITION }, (_, i) => `id${i}`);
    assert.equal(MAX_POSITION, 100);
    assert.equal(checkFullOrder(ids, [...ids].reverse()), undefined);
    const tooMany = [...ids, 'id100'];
    assert.equal(checkFullOrder(tooMany, tooMany), 'at most 100 items can be ordered (got 101)');
  });
});
