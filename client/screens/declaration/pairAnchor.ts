import './pairAnchor.css';

/**
 * `/d/<id>#p5`: the declaration page opens at ¶ 5 (the Status page's rows link
 * there). The address names the ¶ number people read, never a pair's id; the
 * row is scrolled to the middle of the view (which gives it its editors) and
 * marked for a moment, once the text is synced, and again if the hash changes.
 */

export function pairNumberOfHash(hash: string): number | undefined {
  const match = /^#p([1-9]\d{0,5})$/.exec(hash);
  return match ? Number(match[1]) : undefined;
}

export function pairHref(documentId: string, number: number): string {
  return `/d/${encodeURIComponent(documentId)}#p${number}`;
}

/** Reveals the row the address names; `rowAt(n)` finds the row of ¶ n. Returns a function that stops following the hash. */
export function followPairAnchor(rowAt: (number: number) => HTMLElement | undefined): { reveal(): void; destroy(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reveal = (): void => {
    const number = pairNumberOfHash(window.location.hash);
    const row = number === undefined ? undefined : rowAt(number);
    if (!row) return;
    row.scrollIntoView({ block: 'center' });
    row.classList.add('is-linked');
    row.dataset.linked = 'true';
    clearTimeout(timer);
    timer = setTimeout(() => {
      row.classList.remove('is-linked');
      delete row.dataset.linked;
    }, 4000);
  };
  window.addEventListener('hashchange', reveal);
  return {
    reveal,
    destroy() {
      clearTimeout(timer);
      window.removeEventListener('hashchange', reveal);
    },
  };
}
