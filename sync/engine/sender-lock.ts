// One sender per till: two windows (or a window and a reloaded one) must never push the same outbox
// at once. Browsers and Electron have Web Locks, which hold across tabs of one origin; elsewhere
// (Node tests) an in-process queue gives the same guarantee inside one process.
export type LockManagerLike = { request<T>(name: string, callback: () => Promise<T>): Promise<T> };

const queues = new Map<string, Promise<unknown>>();

const inProcess: LockManagerLike = {
  request<T>(name: string, callback: () => Promise<T>): Promise<T> {
    const previous = queues.get(name) ?? Promise.resolve();
    const run = previous.then(callback, callback);
    const settled = run.catch(() => undefined);
    queues.set(name, settled);
    void settled.then(() => {
      if (queues.get(name) === settled) queues.delete(name);
    });
    return run;
  },
};

export function defaultLocks(): LockManagerLike {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks ?? inProcess;
}
