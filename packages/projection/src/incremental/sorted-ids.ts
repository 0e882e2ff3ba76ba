import { compareCodePoints } from '../order.js';

/**
 * A set of ids kept as an array sorted by code point; additions and removals are merged in
 * one pass when the array is next read, so a large set changing a little costs O(n).
 */
export class SortedIds {
  private sorted: string[] = [];
  private readonly added = new Set<string>();
  private readonly removed = new Set<string>();

  add(id: string): void {
    if (!this.removed.delete(id)) this.added.add(id);
  }

  delete(id: string): void {
    if (!this.added.delete(id)) this.removed.add(id);
  }

  get size(): number {
    return this.values().length;
  }

  values(): readonly string[] {
    if (this.added.size === 0 && this.removed.size === 0) return this.sorted;
    const old =
      this.removed.size === 0 ? this.sorted : this.sorted.filter((x) => !this.removed.has(x));
    const add = [...this.added].sort(compareCodePoints);
    const out: string[] = [];
    let i = 0;
    let j = 0;
    while (i < old.length || j < add.length) {
      const a = old[i];
      const b = add[j];
      if (b === undefined || (a !== undefined && compareCodePoints(a, b) < 0)) {
        out.push(a as string);
        i++;
      } else if (a === undefined || compareCodePoints(b, a) < 0) {
        out.push(b);
        j++;
      } else {
        out.push(a);
        i++;
        j++;
      }
    }
    this.sorted = out;
    this.added.clear();
    this.removed.clear();
    return out;
  }
}
