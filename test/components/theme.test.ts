import { describe, expect, it } from 'vitest';
import { resolveTheme, toggledTheme } from '../../src/components/theme';

describe('themes', () => {
  it('follows the system when auto, else the choice', () => {
    expect(resolveTheme('auto', true)).toBe('light');
    expect(resolveTheme('auto', false)).toBe('dark');
    expect(resolveTheme('dark', true)).toBe('dark');
    expect(resolveTheme('light', false)).toBe('light');
  });
  it('toggles to the other theme than shown', () => {
    expect(toggledTheme('dark')).toBe('light');
    expect(toggledTheme('light')).toBe('dark');
  });
});
