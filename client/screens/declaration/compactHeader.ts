import './compactHeader.css';

/**
 * The declaration's sticky header folds to a line or two while someone types
 * on a small screen (a phone, a laptop's short screen), or scrolls down the
 * text: the title on one line, the connection, the formatting and comment
 * tools; the other title, the parties, who the person is, the progress and
 * the view tabs wait. It unfolds when the person leaves the text (blur) or
 * scrolls up (wheel, or a finger moving down), and folds again at the next
 * keystroke or scroll down.
 *
 * This only sets `data-compact` on the header; compactHeader.css decides,
 * by the size of the window, whether that changes anything (on a large
 * screen the whole header stays).
 */

export interface CompactHeader {
  /** Whether the header is folded now (whatever the screen's size). */
  compact(): boolean;
  destroy(): void;
}

/** How far a finger moves (px) before it counts as scrolling. */
const TOUCH_SCROLL = 24;

const isEditor = (node: EventTarget | null): boolean => node instanceof Element && node.closest('.cell-editor') !== null;
/** Scrolling the comments panel's threads is not scrolling the text. */
const inPanel = (node: EventTarget | null): boolean => node instanceof Element && node.closest('.comments-panel') !== null;

export function compactHeader(header: HTMLElement, list: HTMLElement): CompactHeader {
  /** An editor in the list has the focus. */
  let editing = false;
  /** The person scrolled down: the text is what they are after. */
  let reading = false;
  /** The person scrolled up: the header stays open until the next keystroke or scroll down. */
  let unfolded = false;
  /** A button is down (a click or a drag into a cell): fold once it is up, not under the pointer. */
  let pointerDown = false;
  let touchY: number | undefined;
  /**
   * The header just folded on a scroll down: the page under it moved up by what it lost, and the browser's
   * scroll anchoring takes that off the scroll position, to the top when the header lost more than the
   * person scrolled. That top is not the person going back up: until their next key, click or touch, it
   * leaves the header folded.
   */
  let foldedByScroll = false;

  const apply = (): void => {
    if (pointerDown) return;
    const fold = (editing || reading) && !unfolded;
    if (fold) header.dataset.compact = 'true';
    else delete header.dataset.compact;
  };

  const onFocusIn = (event: FocusEvent): void => {
    if (!isEditor(event.target)) return;
    editing = true;
    unfolded = false;
    apply();
  };
  const onFocusOut = (event: FocusEvent): void => {
    // From one cell to another: still editing.
    editing = isEditor(event.relatedTarget) && list.contains(event.relatedTarget as Node);
    if (!editing) reading = unfolded = false;
    apply();
  };
  const onBeforeInput = (event: Event): void => {
    if (!isEditor(event.target) || !unfolded) return;
    unfolded = false;
    apply();
  };
  const scrolled = (down: boolean): void => {
    if (down === reading && unfolded !== down) return;
    reading = down;
    unfolded = !down;
    foldedByScroll = down;
    apply();
  };
  const onInput = (): void => {
    foldedByScroll = false;
  };
  const onWheel = (event: WheelEvent): void => {
    if (event.deltaY !== 0 && !inPanel(event.target)) scrolled(event.deltaY > 0);
  };
  const onScroll = (): void => {
    // Back at the top (however): all of it.
    if (window.scrollY <= 0 && reading && !foldedByScroll) scrolled(false);
  };
  const onTouchStart = (event: TouchEvent): void => {
    onInput();
    touchY = inPanel(event.target) ? undefined : event.touches[0]?.clientY;
  };
  const onTouchMove = (event: TouchEvent): void => {
    const y = event.touches[0]?.clientY;
    if (touchY === undefined || y === undefined || Math.abs(y - touchY) < TOUCH_SCROLL) return;
    // A finger moving up scrolls the page down.
    scrolled(y < touchY);
    touchY = y;
  };
  const onPointerDown = (): void => {
    onInput();
    pointerDown = true;
  };
  const onPointerUp = (): void => {
    if (!pointerDown) return;
    pointerDown = false;
    apply();
  };

  list.addEventListener('focusin', onFocusIn);
  list.addEventListener('focusout', onFocusOut);
  list.addEventListener('beforeinput', onBeforeInput);
  window.addEventListener('wheel', onWheel, { passive: true });
  window.addEventListener('scroll', onScroll, { passive: true });
  window.addEventListener('touchstart', onTouchStart, { passive: true });
  window.addEventListener('touchmove', onTouchMove, { passive: true });
  window.addEventListener('pointerdown', onPointerDown, true);
  window.addEventListener('keydown', onInput, true);
  window.addEventListener('pointerup', onPointerUp, true);
  window.addEventListener('pointercancel', onPointerUp, true);

  return {
    compact: () => header.dataset.compact === 'true',
    destroy() {
      list.removeEventListener('focusin', onFocusIn);
      list.removeEventListener('focusout', onFocusOut);
      list.removeEventListener('beforeinput', onBeforeInput);
      window.removeEventListener('wheel', onWheel);
      window.removeEventListener('scroll', onScroll);
      window.removeEventListener('touchstart', onTouchStart);
      window.removeEventListener('touchmove', onTouchMove);
      window.removeEventListener('pointerdown', onPointerDown, true);
      window.removeEventListener('keydown', onInput, true);
      window.removeEventListener('pointerup', onPointerUp, true);
      window.removeEventListener('pointercancel', onPointerUp, true);
      delete header.dataset.compact;
    },
  };
}
