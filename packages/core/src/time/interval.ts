/**
 * Half-open time intervals `[start, end)` in UTC epoch milliseconds. Touching intervals do not
 * overlap (a booking ending at 10:00 and one starting at 10:00 coexist).
 * @module
 */
export interface Interval {
  start: number;
  end: number;
}

/** Sorts and merges overlapping or touching intervals; drops empty ones. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) {
      if (i.end > last.end) last.end = i.end;
    } else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/** `a` minus the union of `cut` (both lists sorted/merged or not). */
export function subtractIntervals(a: readonly Interval[], cut: readonly Interval[]): Interval[] {
  const base = mergeIntervals(a);
  const holes = mergeIntervals(cut);
  const out: Interval[] = [];
  let h = 0;
  for (const seg of base) {
    let cursor = seg.start;
    while (h < holes.length && holes[h]!.end <= cursor) h++;
    let k = h;
    while (k < holes.length && holes[k]!.start < seg.end) {
      const hole = holes[k]!;
      if (hole.start > cursor) out.push({ start: cursor, end: hole.start });
      cursor = Math.max(cursor, hole.end);
      k++;
    }
    if (cursor < seg.end) out.push({ start: cursor, end: seg.end });
  }
  return out;
}
