// The event streams this process holds, by till: revoking a till (hq/routes/tills.ts) ends its open
// streams at once instead of letting them carry changes until the till reconnects (and gets a 401).
// Per process: a stream held by another HQ process ends when the till next reconnects there.
export type TillStreams = {
  /** Register a stream's end function; returns the function that unregisters it. */
  add(tillId: string, end: () => void): () => void;
  /** End every stream of this till held by this process. */
  end(tillId: string): void;
};

export function createTillStreams(): TillStreams {
  const byTill = new Map<string, Set<() => void>>();
  return {
    add(tillId, end) {
      let set = byTill.get(tillId);
      if (!set) byTill.set(tillId, (set = new Set()));
      set.add(end);
      return () => {
        set.delete(end);
        if (!set.size) byTill.delete(tillId);
      };
    },
    end(tillId) {
      for (const end of [...(byTill.get(tillId) ?? [])]) end();
    },
  };
}
