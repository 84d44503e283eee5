import type { HarvestPiece } from './read.js';

/**
 * Joins the pieces of each harvest: a piece that began mid-list continues the piece whose next
 * token it came with. Within one file that happens only when a list began before recording; across
 * the files of several replicas it is how one harvest, served by whichever replica the balancer
 * picked, becomes one again. Pieces must come oldest first (a continuation starts after its head).
 */
export function stitchHarvests(pieces: readonly HarvestPiece[]): HarvestPiece[] {
  const byFirstToken = new Map<string, HarvestPiece>();
  for (const piece of pieces) if (piece.firstToken !== null && !byFirstToken.has(piece.firstToken)) byFirstToken.set(piece.firstToken, piece);
  const used = new Set<HarvestPiece>();
  const harvests: HarvestPiece[] = [];
  for (const head of pieces) {
    if (used.has(head)) continue;
    used.add(head);
    const whole = { ...head };
    for (let next = whole.nextToken === null ? undefined : byFirstToken.get(whole.nextToken); next !== undefined && !used.has(next); ) {
      used.add(next);
      whole.lastAt = Math.max(whole.lastAt, next.lastAt);
      whole.pages += next.pages;
      whole.items += next.items;
      whole.completeListSize ??= next.completeListSize;
      whole.nextToken = next.nextToken;
      whole.nextExpires = next.nextExpires;
      whole.finishedAt = next.finishedAt;
      next = whole.nextToken === null ? undefined : byFirstToken.get(whole.nextToken);
    }
    harvests.push(whole);
  }
  return harvests;
}
