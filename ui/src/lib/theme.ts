/**
 * Applying the window's settings to the page. The dark palette lives in one place, app.css's
 * `@media (prefers-color-scheme: dark)` block; a chosen theme re-targets that block instead of
 * copying it: its condition becomes `all` (always dark) or `not all` (never), and is put back for
 * "system". The form controls and scrollbars follow through `color-scheme`.
 */
import type { Theme } from './bindings';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** The media condition the dark palette's rules get for `theme`. */
export function darkCondition(theme: Theme): string {
  switch (theme) {
    case 'dark':
      return 'all';
    case 'light':
      return 'not all';
    case 'system':
      return DARK_QUERY;
  }
}

/** The dark palette's rules per page, found on first use (their condition changes after). */
const found = new WeakMap<Document, CSSMediaRule[]>();

function darkRules(doc: Document): CSSMediaRule[] {
  const known = found.get(doc);
  if (known !== undefined && known.length > 0) return known;
  const rules: CSSMediaRule[] = [];
  for (const sheet of doc.styleSheets) {
    let list: CSSRuleList;
    try {
      list = sheet.cssRules;
    } catch {
      continue; // another origin's sheet: not ours
    }
    for (const rule of list) {
      if (rule instanceof CSSMediaRule && rule.media.mediaText === DARK_QUERY) rules.push(rule);
    }
  }
  found.set(doc, rules);
  return rules;
}

/** Shows the page in `theme` at once. */
export function applyTheme(theme: Theme, doc: Document = document): void {
  const condition = darkCondition(theme);
  for (const rule of darkRules(doc)) {
    if (rule.media.mediaText !== condition) rule.media.mediaText = condition;
  }
  doc.documentElement.style.colorScheme = theme === 'system' ? '' : theme;
  doc.documentElement.dataset.theme = theme;
}

/** Lets tabs in the diff stand for `columns` columns. */
export function applyTabWidth(columns: number, doc: Document = document): void {
  doc.documentElement.style.setProperty('--tab-size', String(columns));
}
