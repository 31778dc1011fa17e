import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HashPushes } from '../../server/approvals/hashPushes.ts';

/**
 * How a document's hash changes reach its followers (server/approvals/hashPushes.ts):
 * the first at once, then at most one push per interval with the latest hash of every
 * pair changed meanwhile. The pushes through socket.io are in tests/server/agreement.test.ts.
 */
describe("a document's pairs:hashes pushes", () => {
  let clock: number;
  let sent: Array<Record<string, string | null>>;
  let pushes: HashPushes;
  const changed = (entries: Record<string, string | null>) => new Map(Object.entries(entries));

  beforeEach(() => {
    vi.useFakeTimers();
    clock = 10_000;
    sent = [];
    pushes = new HashPushes((hashes) => sent.push(Object.fromEntries(hashes)), 200, () => clock);
  });
  afterEach(() => vi.useRealTimers());

  const advance = (ms: number): void => {
    clock += ms;
    vi.advanceTimersByTime(ms);
  };

  it('send the first change at once', () => {
    pushes.add(changed({ environment: 'h1' }));
    expect(sent).toEqual([{ environment: 'h1' }]);
  });

  it('send the changes of the next 200 ms as one push, with the latest hash of each pair and deleted pairs as null', () => {
    pushes.add(changed({ environment: 'h1' }));
    advance(50);
    pushes.add(changed({ environment: 'h2' }));
    advance(50);
    pushes.add(changed({ digital: 'd1', heritage: null }));
    pushes.add(changed({ environment: 'h3' }));
    expect(sent).toHaveLength(1);
    advance(99);
    expect(sent).toHaveLength(1);
    advance(1);
    expect(sent).toEqual([{ environment: 'h1' }, { environment: 'h3', digital: 'd1', heritage: null }]);
    // Quiet for a while: the next change goes at once again.
    advance(500);
    pushes.add(changed({ environment: 'h4' }));
    expect(sent.at(-1)).toEqual({ environment: 'h4' });
  });

  it('send what waits at once when asked (before an approval push), and nothing when nothing waits', () => {
    pushes.add(changed({ environment: 'h1' }));
    advance(10);
    pushes.add(changed({ environment: 'h2' }));
    pushes.flush();
    expect(sent).toEqual([{ environment: 'h1' }, { environment: 'h2' }]);
    pushes.flush();
    advance(1_000);
    expect(sent).toHaveLength(2);
  });

  it('send the structure’s latest hash with the pairs changed meanwhile, and a structure change alone', () => {
    const withStructure: Array<{ hashes: Record<string, string | null>; structure: string | undefined }> = [];
    const both = new HashPushes((hashes, structure) => withStructure.push({ hashes: Object.fromEntries(hashes), structure }), 200, () => clock);
    both.addStructure('s1');
    advance(50);
    both.add(changed({ digital: null }));
    both.addStructure('s2');
    both.addStructure('s3');
    advance(150);
    advance(500);
    both.add(changed({ environment: 'h1' }));
    expect(withStructure).toEqual([
      { hashes: {}, structure: 's1' },
      { hashes: { digital: null }, structure: 's3' },
      { hashes: { environment: 'h1' }, structure: undefined },
    ]);
  });
});
