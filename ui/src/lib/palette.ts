/**
 * What the command palette lists for what was typed: the actions (lib/actions.ts), the targets
 * of the repository, the files of the review, and the typed text itself as a ref or range to
 * open (the core checks it). Ranked by the fuzzy match (lib/fuzzy.ts); the actions run from the
 * palette lately come first.
 */
import type { ActionId } from './actions';
import type { Target } from './bindings';
import { fuzzyMatch } from './fuzzy';

export type PaletteItem =
  | { kind: 'action'; id: ActionId; label: string; keywords: string; key: string | null }
  | { kind: 'target'; target: Target; label: string; spec: string; detail: string; words: string }
  | { kind: 'file'; index: number; label: string }
  | { kind: 'typed'; text: string; label: string };

export interface RankedItem {
  item: PaletteItem;
  /** Where the query matched the item's label (empty when it matched another field). */
  positions: number[];
  score: number;
}

/** A match found in a field other than the label counts a little less. */
const OTHER_FIELD = 2;
/** An action run from the palette lately, the most recent first, gets up to this much more. */
const RECENT_BOOST = 4;

/** The text typed, as a ref or range to open: one word (refs have no spaces), `null` otherwise. */
export function typedRef(query: string): string | null {
  const text = query.trim();
  return text === '' || /\s/.test(text) ? null : text;
}

/**
 * Whether the typed text reads as a ref or range rather than words to find: a range, `~`, `^`,
 * `@{…}`, `branch:`/`turn`, or a commit id. Then it is listed first.
 */
export function looksLikeRef(text: string): boolean {
  return /\.\.|[~^]|@\{|^branch:|^turn(:|@|$)/.test(text) || /^[0-9a-f]{7,40}$/i.test(text);
}

function bestOf(query: string, label: string, others: readonly string[]): { score: number; positions: number[] } | null {
  const onLabel = fuzzyMatch(query, label);
  let best = onLabel === null ? null : { score: onLabel.score, positions: onLabel.positions };
  for (const other of others) {
    if (other === '') continue;
    const match = fuzzyMatch(query, other);
    if (match !== null && (best === null || match.score - OTHER_FIELD > best.score)) best = { score: match.score - OTHER_FIELD, positions: [] };
  }
  return best;
}

function fieldsOf(item: PaletteItem): readonly string[] {
  switch (item.kind) {
    case 'action':
      return [item.keywords];
    case 'target':
      return [item.spec, item.detail, item.words];
    case 'file':
    case 'typed':
      return [];
  }
}

/** Kinds in the order they are listed when scores tie (and for an empty query). */
const KIND_ORDER: Record<PaletteItem['kind'], number> = { action: 0, target: 1, file: 2, typed: 3 };

/**
 * The items matching `query`, best first, at most `limit`: every item for an empty query
 * (recent actions, then actions, targets and files in their order); otherwise the matches by
 * score, recent actions raised, then the typed text as a ref (first when it looks like one).
 */
export function rankPalette(query: string, items: readonly PaletteItem[], recent: readonly ActionId[], limit: number): RankedItem[] {
  const recency = (item: PaletteItem) => (item.kind === 'action' ? recent.indexOf(item.id) : -1);
  const boost = (item: PaletteItem) => {
    const at = recency(item);
    return at < 0 ? 0 : RECENT_BOOST * (1 - at / Math.max(recent.length, 1));
  };
  const ranked: (RankedItem & { order: number })[] = [];
  items.forEach((item, order) => {
    if (item.kind === 'typed') return;
    const match = bestOf(query, item.label, fieldsOf(item));
    if (match !== null) ranked.push({ item, positions: match.positions, score: match.score + boost(item), order });
  });
  const empty = query.trim() === '';
  ranked.sort((a, b) => {
    if (empty) {
      const ra = recency(a.item);
      const rb = recency(b.item);
      if (ra >= 0 || rb >= 0) return ra < 0 ? 1 : rb < 0 ? -1 : ra - rb;
      return KIND_ORDER[a.item.kind] - KIND_ORDER[b.item.kind] || a.order - b.order;
    }
    return b.score - a.score || KIND_ORDER[a.item.kind] - KIND_ORDER[b.item.kind] || a.order - b.order;
  });
  const shown: RankedItem[] = ranked.slice(0, limit).map(({ item, positions, score }) => ({ item, positions, score }));
  const text = typedRef(query);
  if (text !== null) {
    const typed: RankedItem = { item: { kind: 'typed', text, label: text }, positions: [], score: 0 };
    if (looksLikeRef(text)) shown.unshift(typed);
    else shown.push(typed);
  }
  return shown;
}
