/**
 * Light and dark: the choice (auto follows the system) resolved to the `data-theme` the page's
 * CSS variables key on (index.html). The 3D view reads its background from the same variables.
 */
import type { ThemeChoice } from './workbenchUrl';

export type Theme = 'light' | 'dark';

/** The theme a choice means, given whether the system prefers light. */
export function resolveTheme(choice: ThemeChoice, systemLight: boolean): Theme {
  return choice === 'auto' ? (systemLight ? 'light' : 'dark') : choice;
}

/** The choice after the toggle: always an explicit theme, the other one than shown. */
export function toggledTheme(shown: Theme): ThemeChoice {
  return shown === 'light' ? 'dark' : 'light';
}

/** Sets the page's theme; returns the one now shown. */
export function applyTheme(choice: ThemeChoice, root: HTMLElement = document.documentElement): Theme {
  const theme = resolveTheme(choice, matchMedia('(prefers-color-scheme: light)').matches);
  root.dataset.theme = theme;
  return theme;
}
