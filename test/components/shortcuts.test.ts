import { describe, expect, it } from 'vitest';
import { commandFor, SHORTCUTS } from '../../src/components/shortcuts';

describe('keyboard shortcuts', () => {
  it('maps keys to commands, whatever the case', () => {
    expect(commandFor({ key: ' ' })).toBe('play-pause');
    expect(commandFor({ key: 'K' })).toBe('play-pause');
    expect(commandFor({ key: '[' })).toBe('toggle-side');
    expect(commandFor({ key: '2' })).toBe('tab-inspector');
    expect(commandFor({ key: 'Escape' })).toBe('clear-selection');
    expect(commandFor({ key: '8' })).toBe('tab-roi');
    expect(commandFor({ key: 'x' })).toBeUndefined();
  });

  it('leaves keys typed into a field, and browser shortcuts, alone', () => {
    expect(commandFor({ key: 't', target: { tagName: 'INPUT', type: 'text' } })).toBeUndefined();
    expect(commandFor({ key: 't', target: { tagName: 'TEXTAREA' } })).toBeUndefined();
    expect(commandFor({ key: 'Escape', target: { tagName: 'SELECT' } })).toBeUndefined();
    expect(commandFor({ key: 't', target: { tagName: 'DIV', isContentEditable: true } })).toBeUndefined();
    expect(commandFor({ key: 'l', ctrlKey: true })).toBeUndefined();
    expect(commandFor({ key: 't', target: { tagName: 'INPUT', type: 'checkbox' } })).toBe('toggle-theme');
    // Space presses a focused button instead of playing.
    expect(commandFor({ key: ' ', target: { tagName: 'BUTTON' } })).toBeUndefined();
  });

  it('gives every key one command', () => {
    const keys = SHORTCUTS.flatMap((s) => s.keys.map((k) => k.toLowerCase()));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('undo and redo keys', () => {
  it('are Ctrl/Cmd+Z, Ctrl+Shift+Z and Ctrl+Y, except while typing in a text field', async () => {
    const { editCommandFor } = await import('../../src/components/shortcuts');
    expect(editCommandFor({ key: 'z', ctrlKey: true })).toBe('undo');
    expect(editCommandFor({ key: 'z', metaKey: true })).toBe('undo');
    expect(editCommandFor({ key: 'Z', ctrlKey: true, shiftKey: true })).toBe('redo');
    expect(editCommandFor({ key: 'y', ctrlKey: true })).toBe('redo');
    expect(editCommandFor({ key: 'z' })).toBeUndefined();
    expect(editCommandFor({ key: 'z', ctrlKey: true, target: { tagName: 'INPUT', type: 'number' } })).toBeUndefined();
    expect(editCommandFor({ key: 'z', ctrlKey: true, target: { tagName: 'INPUT', type: 'range' } })).toBe('undo');
    expect(commandFor({ key: '7' })).toBe('tab-plan');
  });
});
