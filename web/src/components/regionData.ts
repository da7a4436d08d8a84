// Loading region lists for trees and selectors.
import { api, type Region, type RegionLevel } from '../api/index.ts';

const MAX_PAGES = 20;
const PAGE_SIZE = 200;

/** All regions matching a query, following nextCursor (bounded). */
export async function fetchAllRegions(query: { parent?: string; level?: RegionLevel; q?: string; roots?: boolean }, signal?: AbortSignal): Promise<Region[]> {
  const out: Region[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await api.regions({ ...query, cursor, limit: PAGE_SIZE }, signal);
    out.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

/**
 * The top of the user's visible region tree: the roots of their jurisdiction, at whatever level each is.
 * (An admin sees the prefecture; a community worker may only see a single community.)
 */
export async function fetchRegionRoots(signal?: AbortSignal): Promise<Region[]> {
  return sortRegions(await fetchAllRegions({ roots: true }, signal));
}

/** Current regions first, then by code. */
export function sortRegions(regions: Region[]): Region[] {
  return [...regions].sort((a, b) => Number(a.validTo !== null) - Number(b.validTo !== null) || a.code.localeCompare(b.code));
}
