/**
 * Counts events in a fixed one-second window: cheap (no timers, two numbers
 * per connection) and enough to stop a flood. `allow()` is false once more
 * than `perSecond` events arrived in the current window.
 */
export function rateWindow(perSecond: number, now: () => number = Date.now): { allow(): boolean } {
  let windowStart = now();
  let inWindow = 0;
  return {
    allow() {
      const time = now();
      if (time - windowStart >= 1000) {
        windowStart = time;
        inWindow = 0;
      }
      return ++inWindow <= perSecond;
    },
  };
}
