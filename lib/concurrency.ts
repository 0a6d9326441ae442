/** Maps `items` with at most `limit` calls of `fn` in flight; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** At most `limit` calls run at once; the others wait their turn, in order, or until their signal aborts. */
export class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Runs `fn` when a place is free; `undefined`, without running it, when `signal` aborts first. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T | undefined> {
    if (signal?.aborted) return undefined;
    if (this.active < this.limit) this.active++;
    else {
      const turn = await new Promise<boolean>((resolve) => {
        const go = () => {
          signal?.removeEventListener('abort', stop);
          resolve(true);
        };
        const stop = () => {
          this.waiting.splice(this.waiting.indexOf(go), 1);
          resolve(false);
        };
        this.waiting.push(go);
        signal?.addEventListener('abort', stop, { once: true });
      });
      if (!turn) return undefined;
    }
    try {
      return await fn();
    } finally {
      // The place passes straight to the next in line.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
