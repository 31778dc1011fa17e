import type { CommentView, ThreadStatus, ThreadView } from '../../../../shared/comments.ts';
import type { PartySummary } from '../../../../shared/protocol.ts';
import { h, replaceChildren } from '../../../lib/dom.ts';
import { formatDateTime, t } from '../../../i18n/index.ts';
import type { Me } from './api.ts';
import { autoGrow, errorMessage, icon, placeChildren } from './dom.ts';
import { lengthGuard } from './lengthGuard.ts';
import { canChange, canResolve, canWrite, delegationIndex, delegationName, delegationTag, langName, SUBMIT_SHORTCUT } from './rules.ts';

/**
 * One thread in the side panel: who and where, the quoted words, the comments
 * with author and time, and — as far as this member may — reply, resolve or
 * reopen, edit and delete their own comments. Updates in place, so a reply
 * being typed survives the live pushes.
 */

export interface CardContext {
  me(): Me | undefined;
  parties(): PartySummary[];
  pairNumber(pairId: string): number | undefined;
  /** The thread's words were deleted (as this page sees the text now, else as the server said). */
  isDetached(thread: ThreadView): boolean;
  /** Scrolls to the words in the editor and selects them. */
  jump(threadId: string): void;
  reply(threadId: string, body: string): Promise<void>;
  setStatus(threadId: string, status: ThreadStatus): Promise<void>;
  editComment(threadId: string, commentId: string, body: string): Promise<void>;
  deleteComment(threadId: string, commentId: string): Promise<void>;
}

export interface ThreadCard {
  readonly element: HTMLElement;
  update(thread: ThreadView): void;
  setActive(active: boolean): void;
  /** Draws the eye to the card (after a click on its words). */
  flash(): void;
}

interface CommentItem {
  element: HTMLElement;
  update(comment: CommentView): void;
}

/** Runs a request with a button busy, showing the server's message on failure. */
async function busy(buttons: HTMLButtonElement[], showError: (message: string) => void, run: () => Promise<void>): Promise<boolean> {
  for (const b of buttons) b.disabled = true;
  try {
    await run();
    showError('');
    return true;
  } catch (error) {
    showError(errorMessage(error));
    return false;
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

function textButton(testid: string, label: string, className: string, onClick: (event: MouseEvent) => void): HTMLButtonElement {
  return h('button', { class: className, text: label, attrs: { type: 'button', 'data-testid': testid }, on: { click: onClick } });
}

function commentItem(threadId: string, initial: CommentView, ctx: CardContext, showError: (message: string) => void): CommentItem {
  let comment = initial;
  let mode: 'view' | 'edit' | 'confirm-delete' = 'view';

  const author = h('span', { class: 'comment__author' });
  const time = h('time', { class: 'comment__time' });
  const edited = h('span', { class: 'comment__edited', text: t('comments.edited') });
  const meta = h('div', { class: 'comment__meta' }, author, time, edited);
  const body = h('p', { class: 'comment__body', attrs: { 'data-testid': 'comment-body' } });
  const tools = h('div', { class: 'comment__tools' });

  // The edit form exists only while editing (no writing controls for those who cannot write).
  let editForm: HTMLFormElement | undefined;
  let editBox: HTMLTextAreaElement | undefined;
  const buildEditForm = (): HTMLFormElement => {
    const box = h('textarea', {
      class: 'comments-textarea',
      attrs: { rows: 2, 'data-testid': 'comment-edit-body', 'aria-label': t('comments.edit') },
    });
    autoGrow(box);
    const length = lengthGuard(box, (fits) => (save.disabled = !fits));
    const save = h('button', { class: 'comments-button comments-button--primary', text: t('comments.save'), attrs: { type: 'submit', 'data-testid': 'comment-save' } });
    const form = h(
      'form',
      { class: 'comment__edit' },
      box,
      length.element,
      h('div', { class: 'comments-buttons' }, textButton('comment-edit-cancel', t('comments.cancel'), 'comments-button', () => setMode('view')), save),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = box.value.trim();
      if (!text || !length.fits()) return;
      void busy([save], showError, () => ctx.editComment(threadId, comment.id, text)).then((ok) => ok && setMode('view'));
    });
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        setMode('view');
      } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    editBox = box;
    return form;
  };

  const element = h('li', { class: 'comment', attrs: { 'data-testid': 'comment' } }, meta, body, tools);

  let toolsKey = '';
  const renderTools = (): void => {
    // Rebuilt only when they change: a live update must not take the focus from them.
    const key = `${canChange(ctx.me(), comment)}|${mode}`;
    if (key === toolsKey) return;
    toolsKey = key;
    if (!canChange(ctx.me(), comment)) {
      replaceChildren(tools);
      tools.hidden = true;
      return;
    }
    tools.hidden = mode === 'edit';
    if (mode === 'confirm-delete') {
      const confirm = textButton('comment-delete-confirm', t('comments.delete'), 'comments-link comments-link--danger', () => {
        void busy([confirm], showError, () => ctx.deleteComment(threadId, comment.id)).then(() => setMode('view'));
      });
      replaceChildren(
        tools,
        h('span', { class: 'comment__confirm', text: t('comments.delete.confirm') }),
        confirm,
        textButton('comment-delete-cancel', t('comments.cancel'), 'comments-link', () => setMode('view')),
      );
      confirm.focus();
    } else {
      replaceChildren(
        tools,
        textButton('comment-edit', t('comments.edit'), 'comments-link', () => setMode('edit')),
        textButton('comment-delete', t('comments.delete'), 'comments-link', () => setMode('confirm-delete')),
      );
    }
  };

  const setMode = (next: typeof mode): void => {
    const was = mode;
    mode = next;
    body.hidden = mode === 'edit';
    if (mode === 'edit') {
      editForm ??= buildEditForm();
      body.after(editForm);
      editBox!.value = comment.body;
      editBox!.focus();
      editBox!.dispatchEvent(new Event('input'));
    } else {
      editForm?.remove();
      editForm = undefined;
    }
    renderTools();
    if (was !== 'view' && mode === 'view') tools.querySelector('button')?.focus();
  };

  const update = (next: CommentView): void => {
    comment = next;
    element.dataset.commentId = comment.id;
    element.classList.toggle('is-deleted', comment.deleted);
    author.textContent = comment.authorName;
    time.dateTime = comment.createdAt;
    time.textContent = formatDateTime(comment.createdAt);
    edited.hidden = !comment.editedAt || comment.deleted;
    if (comment.editedAt) edited.title = formatDateTime(comment.editedAt);
    body.textContent = comment.deleted ? t('comments.deleted') : comment.body;
    if (comment.deleted && mode !== 'view') setMode('view');
    else renderTools();
  };
  update(initial);
  return { element, update };
}

export function createThreadCard(initial: ThreadView, ctx: CardContext): ThreadCard {
  let thread = initial;
  const id = thread.id;

  const error = h('p', { class: 'thread__error', attrs: { role: 'alert', hidden: true } });
  const showError = (message: string): void => {
    error.textContent = message;
    error.hidden = !message;
  };

  // ---------------------------------------------------------------- head
  const delegation = h('span', { class: 'thread__delegation', attrs: { 'data-testid': 'thread-delegation' } });
  const visibility = h(
    'span',
    { class: 'thread__visibility', attrs: { 'data-testid': 'thread-visibility' } },
    icon('lock', 'icon icon--small'),
    h('span', { text: t('comments.visibility.internal') }),
  );
  const status = h('span', { class: 'thread__status', text: t('comments.status.resolved') });
  const where = h('button', {
    class: 'thread__where',
    attrs: { type: 'button', 'data-testid': 'thread-jump' },
    on: { click: () => ctx.jump(id) },
  });
  const head = h('div', { class: 'thread__head' }, delegation, visibility, status, where);
  // Resolve / reopen sits at the end of the head (added by update() for those who may).

  // ---------------------------------------------------------------- quote
  const quote = h('blockquote', { class: 'thread__quote', attrs: { 'data-testid': 'thread-quote', lang: thread.lang } });
  const detached = h('p', { class: 'thread__detached', text: t('comments.detached'), attrs: { 'data-testid': 'thread-detached' } });

  // ---------------------------------------------------------------- comments
  const list = h('ol', { class: 'thread__comments' });
  const items = new Map<string, CommentItem>();
  const resolved = h('p', { class: 'thread__resolved' });

  // ---------------------------------------------------------------- reply, resolve
  const replyBox = h('textarea', {
    class: 'comments-textarea',
    attrs: { rows: 1, placeholder: t('comments.reply.placeholder'), 'aria-label': t('comments.reply.placeholder'), 'data-testid': 'reply-body' },
  });
  autoGrow(replyBox);
  const replyLength = lengthGuard(replyBox);
  const replyButton = h('button', {
    class: 'comments-button comments-button--primary',
    text: t('comments.reply.submit'),
    attrs: { type: 'submit', 'data-testid': 'reply-submit', title: SUBMIT_SHORTCUT, disabled: true },
  });
  const statusButton = h('button', {
    class: 'comments-button thread__resolve',
    attrs: { type: 'button', 'data-testid': 'thread-resolve' },
    on: {
      click: () => {
        const next: ThreadStatus = thread.status === 'open' ? 'resolved' : 'open';
        void busy([statusButton], showError, () => ctx.setStatus(id, next));
      },
    },
  });
  const cancelReply = h('button', {
    class: 'comments-button',
    text: t('comments.cancel'),
    attrs: { type: 'button', 'data-testid': 'reply-cancel' },
    on: {
      click: () => {
        replyBox.value = '';
        replyBox.dispatchEvent(new Event('input'));
        replyBox.blur();
      },
    },
  });
  const replyForm = h('form', { class: 'thread__reply' }, replyBox, replyLength.element, h('div', { class: 'comments-buttons' }, cancelReply, replyButton));
  const syncReplyButton = (): void => {
    replyButton.disabled = replyBox.value.trim() === '' || !replyLength.fits();
    replyForm.classList.toggle('has-text', replyBox.value !== '');
  };
  replyBox.addEventListener('input', syncReplyButton);
  replyBox.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      replyForm.requestSubmit();
    }
  });
  replyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = replyBox.value.trim();
    if (!text || !replyLength.fits()) return;
    void busy([replyButton], showError, () => ctx.reply(id, text)).then((ok) => {
      if (!ok) return;
      replyBox.value = '';
      replyBox.dispatchEvent(new Event('input'));
    });
  });

  const element = h(
    'article',
    { class: 'thread', attrs: { 'data-testid': 'thread', 'data-thread-id': id, tabindex: -1 } },
    head,
    quote,
    detached,
    list,
    resolved,
    error,
  );
  // A click on the card itself (not on its controls) shows the words in the text.
  element.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target || target.closest('button, a, textarea, input, select, form, .comment__tools')) return;
    if (window.getSelection()?.toString()) return; // selecting text of the card to copy it
    ctx.jump(id);
  });

  const update = (next: ThreadView): void => {
    thread = next;
    const me = ctx.me();
    const parties = ctx.parties();
    element.dataset.visibility = thread.visibility;
    element.dataset.status = thread.status;
    element.dataset.delegation = thread.delegation;
    element.dataset.lang = thread.lang;
    element.classList.toggle('is-resolved', thread.status === 'resolved');
    element.setAttribute('aria-label', t('comments.thread.label', { quote: thread.quote.slice(0, 80) }));

    const name = delegationName(thread.delegation, parties);
    delegation.textContent = delegationTag(thread.delegation, parties);
    delegation.title = name;
    delegation.dataset.party = String(delegationIndex(thread.delegation, parties));
    visibility.hidden = thread.visibility !== 'internal';
    visibility.title = t('comments.visibility.internal.title', { delegation: name });
    status.hidden = thread.status !== 'resolved';
    const number = ctx.pairNumber(thread.pairId);
    where.textContent = t('comments.where', { number: number ?? '—', lang: langName(thread.lang) });
    where.title = t('comments.where.title', { number: number ?? '—', lang: langName(thread.lang) });

    quote.textContent = thread.quote;
    const isDetached = ctx.isDetached(thread);
    detached.hidden = !isDetached;
    element.classList.toggle('is-detached', isDetached);
    where.disabled = isDetached;

    const wanted: HTMLElement[] = [];
    const seen = new Set<string>();
    for (const comment of thread.comments) {
      seen.add(comment.id);
      let item = items.get(comment.id);
      if (item) item.update(comment);
      else {
        item = commentItem(id, comment, ctx, showError);
        items.set(comment.id, item);
      }
      wanted.push(item.element);
    }
    for (const key of [...items.keys()]) if (!seen.has(key)) items.delete(key);
    placeChildren(list, wanted);

    resolved.hidden = thread.status !== 'resolved' || !thread.resolvedAt;
    if (thread.resolvedAt) resolved.textContent = t('comments.resolvedAt', { time: formatDateTime(thread.resolvedAt) });

    const writer = canWrite(me);
    const resolver = canResolve(me, thread);
    replyForm.hidden = thread.status !== 'open';
    // Only for those who may resolve: otherwise not in the page at all.
    if (!resolver) statusButton.remove();
    else if (statusButton.parentNode !== head) head.append(statusButton);
    if (statusButton.dataset.status !== thread.status) {
      statusButton.dataset.status = thread.status;
      replaceChildren(
        statusButton,
        thread.status === 'open' ? icon('check', 'icon icon--small') : null,
        thread.status === 'open' ? t('comments.resolve') : t('comments.reopen'),
      );
    }
    // Not allowed to write: no writing controls in the page at all.
    if (!writer) replyForm.remove();
    else if (replyForm.parentNode !== element) element.append(replyForm);
  };
  update(initial);

  return {
    element,
    update,
    setActive(active) {
      element.classList.toggle('is-active', active);
    },
    flash() {
      element.classList.remove('is-flash');
      void element.offsetWidth; // restart the animation
      element.classList.add('is-flash');
    },
  };
}
