// What an audience gets to see: relevance, audience filters, and the order of importance.
import type { Priority } from '../model/content.js';
import type { LModule } from '../model/localized.js';

/** A module's relevance for an audience; missing means 0.5. An audience may be called `constructor`: own keys only. */
export function relevanceOf(module: Pick<LModule, 'relevance'>, audience: string): number {
  return Object.hasOwn(module.relevance, audience) ? (module.relevance[audience] ?? 0.5) : 0.5;
}

export function visibleTo<T extends { audiences: string[] | null }>(items: readonly T[], audience: string): T[] {
  return items.filter((i) => !i.audiences || i.audiences.includes(audience));
}

/**
 * The points or recommendations an audience sees: those for everyone or for them, less any
 * general one that an entry written for them `replaces` (the same thing in their words, said once).
 */
export function seenBy<T extends { id: string | null; audiences: string[] | null; replaces: readonly string[] }>(
  items: readonly T[],
  audience: string,
): T[] {
  const visible = visibleTo(items, audience);
  const replaced = new Set(visible.flatMap((i) => i.replaces));
  return replaced.size === 0 ? visible : visible.filter((i) => i.id === null || !replaced.has(i.id));
}

/** Order of importance: priority first, then the order the author wrote them in. */
export function byImportance<T extends { priority: Priority }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => a.item.priority - b.item.priority || a.index - b.index)
    .map((x) => x.item);
}

/**
 * How important a recommendation is for an audience: its priority, lowered by up to two steps
 * as its module matters less to them. An essential step for an unrelated module ranks below a
 * supporting one for the audience's main concern.
 */
export function recommendationRank(priority: number, relevance: number): number {
  return priority + 2 * (1 - relevance);
}

/** Priority of a module's headline for summary lists, from its relevance. */
export function priorityFromRelevance(relevance: number): Priority {
  return relevance >= 0.8 ? 1 : relevance >= 0.5 ? 2 : 3;
}
