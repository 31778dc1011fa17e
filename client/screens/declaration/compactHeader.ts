import './compactHeader.css';

/**
 * The declaration's sticky header folds to a line or two while someone types
 * on a small screen (a phone, a laptop's short screen): the title on one line,
 * the connection, the formatting and comment tools; the French title, the
 * parties, who the person is, the progress and the view tabs wait. It unfolds
 * when the person leaves the text (blur) or scrolls up (wheel, or a finger
 * moving down), and folds again at the next keystroke.
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

/** How far a finger moves down (px) before it counts as scrolling up. */
const TOUCH_UNFOLD = 24;

const isEditor = (node: EventTarget | null): boolean => node instanceof Element && node.closest('.cell-editor') !== null;

export function compactHeader(header: HTMLElement, list: HTMLElement): CompactHeader {
  /** An editor in the list has the focus. */
  let editing = false;
  /** The person scrolled up while editing: the header stays open until the next keystroke. */
  let unfolded = false;
  /** A button is down (a click or a drag into a cell): fold once it is up, not under the pointer. */
  let pointerDown = false;
  let touchY: number | undefined;

  const apply = (): void => {
    if (pointerDown) return;
    const fold = editing && !unfolded;
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
    apply();
  };
  const onBeforeInput = (event: Event): void => {
    if (!isEditor(event.target) || !unfolded) return;
    unfolded = false;
    apply();
  };
  const unfold = (): void => {
    if (!editing || unfolded) return;
    unfolded = true;
    apply();
  };
  const onWheel = (event: WheelEvent): void => {
    if (event.deltaY < 0) unfold();
  };
  const onTouchStart = (event: TouchEvent): void => {
    touchY = event.touches[0]?.clientY;
  };
  const onTouchMove = (event: TouchEvent): void => {
    const y = event.touches[0]?.clientY;
    if (touchY === undefined || y === undefined) return;
    if (y - touchY > TOUCH_UNFOLD) unfold();
    if (y < touchY) touchY = y;
  };
  const onPointerDown = (): void => {
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
  window.addEventListener('touchstart', onTouchStart, { passive: true });
  window.addEventListener('touchmove', onTouchMove, { passive: true });
  window.addEventListener('pointerdown', onPointerDown, true);
  window.addEventListener('pointerup', onPointerUp, true);
  window.addEventListener('pointercancel', onPointerUp, true);

  return {
    compact: () => header.dataset.compact === 'true',
    destroy() {
      list.removeEventListener('focusin', onFocusIn);
      list.removeEventListener('focusout', onFocusOut);
      list.removeEventListener('beforeinput', onBeforeInput);
      window.removeEventListener('wheel', onWheel);
      window.removeEventListener('touchstart', onTouchStart);
      window.removeEventListener('touchmove', onTouchMove);
      window.removeEventListener('pointerdown', onPointerDown, true);
      window.removeEventListener('pointerup', onPointerUp, true);
      window.removeEventListener('pointercancel', onPointerUp, true);
      delete header.dataset.compact;
    },
  };
}
