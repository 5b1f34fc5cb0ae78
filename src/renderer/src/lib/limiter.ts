/**
 * Runs at most `concurrency` of the given tasks at once, the rest in the order they were queued.
 * A task whose caller lost interest (`cancelled()` true when its turn comes) is skipped.
 */
export function createLimiter(concurrency: number) {
  let running = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    if (running >= concurrency) return;
    const start = queue.shift();
    if (start) start();
  };
  return function run<T>(task: () => Promise<T>, cancelled: () => boolean = () => false): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      queue.push(() => {
        if (cancelled()) {
          resolve(undefined);
          next();
          return;
        }
        running++;
        task()
          .then(resolve, reject)
          .finally(() => {
            running--;
            next();
          });
      });
      next();
    });
  };
}
