/**
 * Items kept in one order (a list's sort key, ending in the id so that it is total), for pages read from any
 * position without sorting per request. Inserting and removing cost a binary search and an array splice.
 */
export class SortedIndex<T extends { id: string }> {
  private readonly items: T[] = [];
  private readonly byId = new Map<string, T>();

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<T> {
    return this.byId.values();
  }

  /** Inserts the item, or moves it where its new sort key belongs. */
  upsert(item: T): void {
    this.remove(item.id);
    this.items.splice(this.firstAtOrAfter(item), 0, item);
    this.byId.set(item.id, item);
  }

  remove(id: string): void {
    const old = this.byId.get(id);
    if (!old) return;
    const at = this.firstAtOrAfter(old);
    if (this.items[at]?.id === id) this.items.splice(at, 1);
    else
      this.items.splice(
        this.items.findIndex((i) => i.id === id),
        1,
      );
    this.byId.delete(id);
  }

  clear(): void {
    this.items.length = 0;
    this.byId.clear();
  }

  /** Items in order from the first that sorts strictly after `after` (from the start without it). */
  *from(after?: (item: T) => number): Generator<T> {
    let i = 0;
    if (after) {
      // `after(item)` < 0 while the item sorts before or at the cursor.
      let lo = 0;
      let hi = this.items.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (after(this.items[mid]) <= 0) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    for (; i < this.items.length; i++) yield this.items[i];
  }

  private firstAtOrAfter(item: T): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(this.items[mid], item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
