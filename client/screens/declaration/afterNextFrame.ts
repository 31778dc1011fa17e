/**
 * Work that must wait until the frame showing the page's latest changes has
 * been produced: what the page sends (outbox.ts) and the others' changes it
 * holds while its person types (inbox.ts).
 */

/** The longest a run waits when no frame comes (a hidden tab gets none): then it runs anyway. */
export const AFTER_FRAME_MAX_WAIT_MS = 50;

/** Runs queued from requestAnimationFrame, in order; one channel for all of them (a channel a call cost ~0.1 ms). */
let afterFrameQueue: Array<() => void> = [];
let afterFrameChannel: MessageChannel | undefined;

/** After the next frame: a task queued from requestAnimationFrame runs once that frame is produced. */
export function afterNextFrame(run: () => void): void {
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    clearTimeout(fallback);
    run();
  };
  const fallback = setTimeout(once, AFTER_FRAME_MAX_WAIT_MS);
  if (!afterFrameChannel) {
    afterFrameChannel = new MessageChannel();
    afterFrameChannel.port1.onmessage = () => {
      const runs = afterFrameQueue;
      afterFrameQueue = [];
      for (const queued of runs) queued();
    };
  }
  const channel = afterFrameChannel;
  requestAnimationFrame(() => {
    afterFrameQueue.push(once);
    channel.port2.postMessage(null);
  });
}
