/**
 * Weights from what a recording shows: the slot that lost most weighs 1 + 2, the busiest gets
 * + 0.5, quiet slots keep 1, and a store's own multipliers are kept and multiplied.
 */
import { describe, expect, it } from 'vitest';
import { weightsFromActivity } from '../../src/planning/activityWeights';
import { DEFAULT_WEIGHTS } from '../../src/planning/weights';

describe('weightsFromActivity', () => {
  it('weighs slots by their share of the worst loss and of the most movements', () => {
    const { weights, multipliers } = weightsFromActivity({ ...DEFAULT_WEIGHTS, slots: { B: 2 } }, [
      { slot: 'A', lostAtCost: 400, moves: 10 },
      { slot: 'B', lostAtCost: 100, moves: 40 },
      { slot: 'C', lostAtCost: 0, moves: 0 },
    ]);
    // A: 1 + 2 x 400/400 + 0.5 x 10/40 = 3.125; B: 1 + 2 x 100/400 + 0.5 x 40/40 = 2.
    expect(multipliers).toEqual({ A: 3.125, B: 2 });
    expect(weights.slots).toEqual({ A: 3.125, B: 4 });
    expect(weights.highValue).toBe(DEFAULT_WEIGHTS.highValue);
  });

  it('leaves the weights alone when nothing happened', () => {
    const { weights, multipliers } = weightsFromActivity(DEFAULT_WEIGHTS, []);
    expect(multipliers).toEqual({});
    expect(weights).toEqual(DEFAULT_WEIGHTS);
  });
});
