// Which period a page with a period switcher opens on (web/src/ui/period-choice.ts): My OKRs, Review, Team and Map
// all open on the same one for the same link and the same day.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { choiceOfCycle, choiceToOpen, isCurrent } from '../../web/src/ui/period-choice.js';

const at = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
// As okrd gives them: from the first millisecond of the first day to the last of the last day. Out of order on
// purpose: the API's order (newest first) must not matter.
const periods = [
  { id: 'q3', start: at('2024-07-01'), end: at('2024-10-01') - 1 },
  { id: 'q1', start: at('2024-01-01'), end: at('2024-04-01') - 1 },
  { id: 'q2', start: at('2024-04-01'), end: at('2024-07-01') - 1 },
];
const opened = (asked: string | null, now: string, choices = periods) => choiceToOpen(choices, asked, at(now))?.id;

describe('the period a page opens on', () => {
  it('is the one the link names, whenever it is', () => {
    assert.equal(opened('q1', '2024-05-10'), 'q1', 'a past one');
    assert.equal(opened('q3', '2024-05-10'), 'q3', 'one to come');
  });

  it('else the one running now, from its first millisecond to its last', () => {
    assert.equal(opened(null, '2024-05-10'), 'q2');
    assert.equal(opened('gone', '2024-04-01'), 'q2', 'an unknown id in the link is ignored');
    assert.equal(choiceToOpen(periods, null, at('2024-07-01') - 1)?.id, 'q2', 'its last millisecond');
  });

  it('else the latest begun (between periods, after the last), else the first to begin', () => {
    const gappy = periods.filter((p) => p.id !== 'q2');
    assert.equal(opened(null, '2024-05-10', gappy), 'q1', 'in a gap: the one before it');
    assert.equal(opened(null, '2025-02-01'), 'q3', 'after them all: the last');
    assert.equal(opened(null, '2023-06-01'), 'q1', 'before them all: the soonest');
    assert.equal(opened(null, '2024-05-10', []), undefined, 'none to open');
  });

  it('reads a v2 cycle by its ms-string bounds and marks only the running one as current', () => {
    const cycle = choiceOfCycle({
      id: 'c',
      start_time: String(at('2024-04-01')),
      end_time: String(at('2024-07-01') - 1),
    });
    assert.deepEqual(cycle, { id: 'c', start: at('2024-04-01'), end: at('2024-07-01') - 1 });
    assert.equal(isCurrent(cycle, at('2024-05-10')), true, 'inside');
    assert.equal(isCurrent(cycle, at('2024-07-01')), false, 'the day after');
  });
});
