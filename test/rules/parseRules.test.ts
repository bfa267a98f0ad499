import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRules, parseRulesText } from '../../src/rules/parseRules';
import { DEFAULT_RULES } from '../../src/rules/Rules';

const ROOT = join(import.meta.dirname, '../..');

describe('parseRules', () => {
  it('reads the shipped default rules file as the defaults', () => {
    const r = parseRulesText(readFileSync(join(ROOT, 'scenarios/rules/default.rules.json'), 'utf8'));
    expect(r.ok ? r.rules : r.problems).toEqual(DEFAULT_RULES);
  });

  it('fills what a file leaves out from the defaults', () => {
    const r = parseRules({ version: 1, rules: { unscanned_move: { minUnits: 3 } } });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.rules.rules.unscanned_move.minUnits).toBe(3);
    expect(r.rules.rules.unscanned_move.matchMinutes).toBe(DEFAULT_RULES.rules.unscanned_move.matchMinutes);
    expect(r.rules.rules.cage_door).toEqual(DEFAULT_RULES.rules.cage_door);
    expect(r.rules.reorderMinutes).toBe(DEFAULT_RULES.reorderMinutes);
  });

  it('lists every problem with its path, unknown keys included', () => {
    const r = parseRules({
      version: 2,
      mergeMinutes: -1,
      colour: 'red',
      rules: {
        unscanned_move: { minUnits: 1.5, exitDoorKinds: ['dock', 'window'], severity: 'loud', enabeld: false },
        count_mismatch: { graceMinutes: '4h' },
        cage_door: { enabled: 'yes' },
        shoplifting: {},
      },
    });
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.problems.map((p) => p.path);
    expect(paths.sort()).toEqual(
      [
        'version',
        'mergeMinutes',
        'colour',
        'rules.unscanned_move.minUnits',
        'rules.unscanned_move.exitDoorKinds[1]',
        'rules.unscanned_move.severity',
        'rules.unscanned_move.enabeld',
        'rules.count_mismatch.graceMinutes',
        'rules.cage_door.enabled',
        'rules.shoplifting',
      ].sort(),
    );
    const reasons = r.ok ? '' : r.problems.map((p) => `${p.path}: ${p.reason}`).join('\n');
    expect(reasons).toContain('rules.unscanned_move.enabeld: is not a known parameter');
    expect(reasons).toContain('mergeMinutes: must be at least 0');
  });

  it('reports JSON syntax errors and a root that is not an object', () => {
    expect(parseRulesText('{"version": 1,').ok).toBe(false);
    const r = parseRules([]);
    expect(r.ok ? [] : r.problems.map((p) => p.reason)).toContain('must be an object, not an array');
  });
});
