/** A queue of hosts to check now, read as an async iterable (`checkNow`) until `end`. */
export function checkQueue(): { push: (server: string | null) => void; end: () => void } & AsyncIterable<
  string | null
> {
  const items: (string | null)[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  const poke = () => {
    wake?.();
    wake = null;
  };
  return {
    push: (server) => {
      items.push(server);
      poke();
    },
    end: () => {
      ended = true;
      poke();
    },
    async *[Symbol.asyncIterator]() {
      while (!ended) {
        if (items.length > 0) yield items.shift()!;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
