import type { PartySummary } from '../../../shared/protocol.ts';
import { downloadsMenu } from '../../components/downloads.ts';
import type { AppContext } from '../../lib/context.ts';
import { h, replaceChildren } from '../../lib/dom.ts';
import { agreementApi, errorMessage, type DocumentMe, type VersionSummary } from '../../lib/agreementApi.ts';
import { formatDateTime, formatNumber, t } from '../../i18n/index.ts';
import { partyName } from '../declaration/approvals/statusChip.ts';
import { agreementPage } from '../status/agreementNav.ts';
import { renderChanges, summaryLine, type DiffLayout } from './diffView.ts';
import { canSign, readinessPanel, type Readiness } from './signingReadiness.ts';
import { cutError, cutForm, isUnchanged, versionLabel } from './versionLabels.ts';
import './versions.css';

/**
 * Versions (`/d/<id>/versions`): the chain of immutable versions (number,
 * time, hash, predecessor, signatures, signed off); the secretariat cuts a
 * version, each party's head signs one — offered only once every pair is agreed
 * by every party and the structure too: until then the head reads, where the
 * button is, which ¶ and which parties (signingReadiness.ts), and the server
 * refuses all the same, saying which; and any two versions, or
 * a version and the live draft, compared side by side or inline.
 *
 * The comparison is in the address (?from=1&to=draft&view=inline), so it can
 * be shared and survives a reload.
 */

const shortHash = (hash: string): string => hash.slice(0, 12);

type Target = number | 'draft';

interface CompareState {
  from: number | undefined;
  to: Target;
  layout: DiffLayout;
  showUnchanged: boolean;
}

function readCompareState(): CompareState {
  const params = new URLSearchParams(window.location.search);
  const from = Number.parseInt(params.get('from') ?? '', 10);
  const toRaw = params.get('to');
  const to = toRaw === null || toRaw === 'draft' ? 'draft' : Number.parseInt(toRaw, 10);
  return {
    from: Number.isInteger(from) && from > 0 ? from : undefined,
    to: typeof to === 'number' && !(Number.isInteger(to) && to > 0) ? 'draft' : to,
    layout: params.get('view') === 'inline' ? 'inline' : 'side',
    showUnchanged: params.get('unchanged') === '1',
  };
}

function writeCompareState(state: CompareState): void {
  const params = new URLSearchParams();
  if (state.from !== undefined) {
    params.set('from', String(state.from));
    params.set('to', String(state.to));
  }
  if (state.layout === 'inline') params.set('view', 'inline');
  if (state.showUnchanged) params.set('unchanged', '1');
  const query = params.toString();
  history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
}

export function versionsScreen(root: HTMLElement, ctx: AppContext, documentId: string): { destroy(): void } {
  const page = agreementPage(root, ctx, documentId, 'versions', t('agreement.versions.pageTitle'));
  const abort = new AbortController();
  let destroyed = false;
  let me: DocumentMe | undefined;
  let parties: PartySummary[] = [];
  let versions: VersionSummary[] = [];
  let busy = false;
  let loaded = false;
  /** Per version this head may sign: what keeps it from being signed, asked of the server. */
  const readiness = new Map<number, Readiness>();
  const compare = readCompareState();

  const message = h('div', { class: 'agreement-message', attrs: { role: 'alert', 'data-testid': 'versions-message', hidden: true } });
  const done = h('div', { class: 'agreement-done', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'versions-done' } });
  const toolbar = h('div', { class: 'versions__toolbar' });
  // The cut form, while the secretariat fills it in (kept across renders).
  const formSlot = h('div', { class: 'versions__form' });
  let form: ReturnType<typeof cutForm> | undefined;
  const list = h('ol', { class: 'version-list', attrs: { 'data-testid': 'version-list', reversed: true } });
  const empty = h('p', { class: 'versions__empty muted', attrs: { hidden: true } });
  const compareSection = h('section', { class: 'compare', attrs: { 'data-testid': 'compare', 'aria-labelledby': 'compare-title' } });
  replaceChildren(
    page.main,
    h(
      'section',
      { class: 'versions', attrs: { 'aria-labelledby': 'versions-title' } },
      h(
        'div',
        { class: 'section-head' },
        h('div', {}, h('h2', { class: 'section-title', text: t('agreement.versions.title'), attrs: { id: 'versions-title' } }), h('p', { class: 'section-lede', text: t('agreement.versions.lede') })),
        toolbar,
      ),
      formSlot,
      message,
      done,
      empty,
      list,
    ),
    compareSection,
  );

  const showMessage = (text: string): void => {
    message.textContent = text;
    message.hidden = !text;
  };
  let doneTimer: ReturnType<typeof setTimeout> | undefined;
  const showDone = (text: string): void => {
    done.textContent = text;
    clearTimeout(doneTimer);
    doneTimer = setTimeout(() => (done.textContent = ''), 6000);
  };

  // ------------------------------------------------------------ actions
  async function run(action: () => Promise<void>): Promise<void> {
    if (busy) return;
    busy = true;
    showMessage('');
    render();
    try {
      await action();
    } catch (error) {
      if (!destroyed) showMessage(errorMessage(error));
    } finally {
      busy = false;
      if (!destroyed) render();
    }
  }

  const openForm = (): void => {
    form = cutForm({ onSubmit: (label) => cut(label), onCancel: closeForm });
    render();
    form.focus();
  };
  const closeForm = (): void => {
    form = undefined;
    render();
  };

  const cut = (label: { name: string; note: string | null }): Promise<void> =>
    run(async () => {
      const version = await agreementApi.cutVersion(documentId, label).catch(async (error: unknown) => {
        // Nothing new since the last version: a copy only if the secretariat means it.
        if (!isUnchanged(error)) throw cutError(error);
        const last = versions.at(-1)?.number ?? 0;
        if (!window.confirm(t('versionLabels.duplicateConfirm', { n: last }))) return undefined;
        return agreementApi.cutVersion(documentId, { ...label, allowDuplicate: true }).catch((again: unknown) => {
          throw cutError(again);
        });
      });
      if (!version) return;
      form = undefined;
      versions = [...versions.filter((v) => v.number !== version.number), version].sort((a, b) => a.number - b.number);
      showDone(t('agreement.versions.cutDone', { n: version.number }));
      if (compare.from === undefined) {
        compare.from = version.number;
        compare.to = 'draft';
      }
      void loadDiff();
    });

  const sign = (version: VersionSummary): Promise<void> => {
    const party = parties.find((p) => p.id === me?.partyId);
    if (!window.confirm(t('agreement.versions.signConfirm', { n: version.number, party: party ? partyName(party) : '' }))) return Promise.resolve();
    return run(async () => {
      // A refusal (an approval withdrawn meanwhile) is worded from its code: ¶ numbers and party names.
      const updated = await agreementApi.sign(documentId, version.number).catch((error: unknown) => {
        void checkReadiness([version.number]);
        throw error;
      });
      versions = versions.map((v) => (v.number === updated.number ? updated : v));
      showDone(updated.signedOff ? t('agreement.versions.signedOffDone', { n: updated.number }) : t('agreement.versions.signDone', { n: updated.number }));
    });
  };

  // ------------------------------------------------------------ readiness
  const maySign = (version: VersionSummary): boolean => {
    const myParty = me?.partyId ?? null;
    return !!me?.actions.includes('sign') && !!myParty && version.requiredParties.some((p) => p.id === myParty) && !version.signatures.some((s) => s.partyId === myParty);
  };
  async function checkReadiness(numbers = versions.filter(maySign).map((v) => v.number)): Promise<void> {
    await Promise.all(
      numbers.map(async (number) => {
        if (!readiness.has(number)) readiness.set(number, { state: 'loading' });
        try {
          readiness.set(number, { state: 'known', readiness: await agreementApi.readiness(documentId, number, abort.signal) });
        } catch (error) {
          if (abort.signal.aborted) return;
          readiness.set(number, { state: 'failed', reason: errorMessage(error) });
        }
      }),
    );
    if (!destroyed) render();
  }
  // Approvals change on other pages: asked again whenever the head comes back to this one.
  const onVisible = (): void => {
    if (document.visibilityState === 'visible' && loaded) void checkReadiness();
  };
  document.addEventListener('visibilitychange', onVisible);
  const restore = (version: VersionSummary): Promise<void> => {
    if (!window.confirm(t('versionLabels.restoreConfirm', { n: version.number }))) return Promise.resolve();
    return run(async () => {
      const restored = await agreementApi.restoreVersion(documentId, version.number);
      showDone(t('versionLabels.restoreDone', { n: version.number, changed: restored.changed, added: restored.added, removed: restored.removed }));
      void loadDiff();
    });
  };

  // ------------------------------------------------------------ list
  function versionItem(version: VersionSummary): HTMLElement {
    const previous = version.prevHash ? versions.find((v) => v.hash === version.prevHash) : undefined;
    const myParty = me?.partyId ?? null;
    // The parties it was cut for, as they were named then (a party added later signs later versions only).
    const needsMine = version.requiredParties.some((p) => p.id === myParty);
    const signable = maySign(version);
    const ready = readiness.get(version.number);
    const blockersId = `sign-blockers-${version.number}`;
    const blockers = signable ? readinessPanel(documentId, ready, blockersId) : null;
    const signatures = version.requiredParties.map((party) => {
      const signature = version.signatures.find((s) => s.partyId === party.id);
      return h(
        'li',
        { class: `signature${signature ? ' is-signed' : ''}`, attrs: { 'data-party': party.id, 'data-testid': 'signature' } },
        h('span', { class: 'signature__mark', text: signature ? '✓' : '○', attrs: { 'aria-hidden': 'true' } }),
        h('span', { class: 'signature__party', text: partyName(party) }),
        signature
          ? h('span', { class: 'signature__who', text: t('agreement.versions.signedBy', { name: signature.byName, time: formatDateTime(signature.signedAt) }) })
          : h('span', { class: 'signature__who muted', text: t('agreement.versions.notSigned') }),
      );
    });
    const button = (label: string, onClick: () => void, extra: Record<string, string> = {}, kind = 'btn--secondary'): HTMLButtonElement =>
      h('button', { class: `btn ${kind} btn--small`, text: label, attrs: { type: 'button', disabled: busy, ...extra }, on: { click: onClick } });
    return h(
      'li',
      { class: `version${version.signedOff ? ' is-signed-off' : ''}`, attrs: { 'data-testid': 'version-item', 'data-number': String(version.number) } },
      h(
        'div',
        { class: 'version__head' },
        h('h3', { class: 'version__title', text: t('agreement.versions.number', { n: version.number }) }),
        version.signedOff ? h('span', { class: 'signed-off', text: t('agreement.versions.signedOff'), attrs: { 'data-testid': 'signed-off' } }) : null,
        h('span', { class: 'version__time', text: formatDateTime(version.createdAt) }),
        ...versionLabel(version),
      ),
      h(
        'dl',
        { class: 'version__facts' },
        h('div', {}, h('dt', { text: t('agreement.versions.hash') }), h('dd', {}, h('code', { class: 'hash', text: shortHash(version.hash), attrs: { title: version.hash, 'data-testid': 'version-hash' } }))),
        h(
          'div',
          {},
          h('dt', { text: t('agreement.versions.follows') }),
          h(
            'dd',
            { attrs: { 'data-testid': 'version-prev' } },
            version.prevHash
              ? h(
                  'span',
                  {},
                  previous ? t('agreement.versions.number', { n: previous.number }) : '—',
                  ' ',
                  h('code', { class: 'hash hash--faint', text: shortHash(version.prevHash), attrs: { title: version.prevHash } }),
                )
              : h('span', { class: 'muted', text: t('agreement.versions.first') }),
          ),
        ),
        h('div', {}, h('dt', { text: t('agreement.versions.pairs') }), h('dd', { text: formatNumber(version.pairCount) })),
      ),
      h('ul', { class: 'signatures', attrs: { 'aria-label': t('agreement.versions.signatures') } }, ...signatures),
      h(
        'div',
        { class: 'version__actions' },
        signable
          ? h('button', {
              class: 'btn btn--primary btn--small',
              text: t('agreement.versions.sign'),
              // Not offered until it can be signed: the reasons are right below it.
              attrs: { type: 'button', disabled: busy || !canSign(ready), 'data-testid': 'sign-version', 'aria-describedby': blockers ? blockersId : undefined },
              on: { click: () => void sign(version) },
            })
          : null,
        me?.actions.includes('sign') && myParty && !needsMine
          ? h('span', { class: 'version__note muted', text: t('agreement.versions.notForYourParty'), attrs: { 'data-testid': 'not-for-your-party' } })
          : null,
        previous
          ? button(t('agreement.versions.comparePrevious'), () => setCompare(previous.number, version.number), { 'data-testid': 'compare-previous' })
          : null,
        button(t('agreement.versions.compareDraft'), () => setCompare(version.number, 'draft'), { 'data-testid': 'compare-draft' }),
        me?.actions.includes('restore_versions')
          ? button(t('versionLabels.restore'), () => void restore(version), { 'data-testid': 'restore-version', title: t('versionLabels.restoreHint') })
          : null,
        me?.actions.includes('export') ? downloadsMenu(documentId, version.number) : null,
        blockers,
      ),
    );
  }

  function render(): void {
    if (destroyed) return;
    const mayCut = !!me?.actions.includes('cut_versions');
    replaceChildren(
      toolbar,
      me?.actions.includes('export') ? downloadsMenu(documentId, 'draft') : null,
      mayCut
        ? h('button', {
            class: 'btn btn--primary',
            text: t('agreement.versions.cut'),
            attrs: { type: 'button', 'data-testid': 'cut-version', disabled: busy || !!form, title: t('agreement.versions.cutHint'), 'aria-expanded': form ? 'true' : 'false' },
            on: { click: openForm },
          })
        : null,
    );
    if (formSlot.firstChild !== (form?.element ?? null)) replaceChildren(formSlot, form?.element ?? null);
    empty.hidden = !loaded || versions.length > 0;
    empty.textContent = mayCut ? t('agreement.versions.noneYetSecretariat') : t('agreement.versions.noneYet');
    replaceChildren(list, ...[...versions].reverse().map(versionItem));
    renderCompareForm();
  }

  // ------------------------------------------------------------ compare
  const result = h('div', { class: 'compare__result', attrs: { 'aria-live': 'polite' } });
  let diffAbort: AbortController | undefined;

  function setCompare(from: number, to: Target): void {
    compare.from = from;
    compare.to = to;
    writeCompareState(compare);
    render();
    void loadDiff();
    compareSection.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  const targetLabel = (target: Target): string => (target === 'draft' ? t('agreement.compare.draft') : t('agreement.versions.number', { n: target }));

  async function loadDiff(): Promise<void> {
    diffAbort?.abort();
    if (compare.from === undefined) {
      replaceChildren(result);
      return;
    }
    const controller = new AbortController();
    diffAbort = controller;
    const { from, to } = compare;
    result.setAttribute('aria-busy', 'true');
    try {
      const diff = await agreementApi.diff(documentId, from, to, controller.signal);
      if (controller.signal.aborted || destroyed) return;
      result.removeAttribute('aria-busy');
      replaceChildren(
        result,
        summaryLine(diff.changes),
        renderChanges(diff.changes, {
          layout: compare.layout,
          showUnchanged: compare.showUnchanged,
          beforeLabel: targetLabel(from),
          afterLabel: targetLabel(to),
        }),
      );
    } catch (error) {
      if (controller.signal.aborted || destroyed) return;
      result.removeAttribute('aria-busy');
      replaceChildren(result, h('p', { class: 'agreement-message', text: errorMessage(error), attrs: { role: 'alert' } }));
    }
  }

  function renderCompareForm(): void {
    const heading = h('h2', { class: 'section-title', text: t('agreement.compare.title'), attrs: { id: 'compare-title' } });
    if (!loaded) {
      replaceChildren(compareSection);
      return;
    }
    if (versions.length === 0) {
      replaceChildren(compareSection, heading, h('p', { class: 'section-lede', text: t('agreement.compare.needVersion') }));
      return;
    }
    if (compare.from === undefined || !versions.some((v) => v.number === compare.from)) {
      compare.from = versions.at(-1)!.number;
      compare.to = 'draft';
    }
    const option = (value: string, label: string, selected: boolean): HTMLOptionElement =>
      h('option', { text: label, attrs: { value, selected } });
    const fromSelect = h(
      'select',
      { class: 'compare__select', attrs: { 'data-testid': 'compare-from', id: 'compare-from' } },
      ...versions.map((v) => option(String(v.number), targetLabel(v.number), v.number === compare.from)),
    );
    const toSelect = h(
      'select',
      { class: 'compare__select', attrs: { 'data-testid': 'compare-to', id: 'compare-to' } },
      ...versions.map((v) => option(String(v.number), targetLabel(v.number), v.number === compare.to)),
      option('draft', t('agreement.compare.draft'), compare.to === 'draft'),
    );
    const onSelect = (): void => {
      compare.from = Number(fromSelect.value);
      compare.to = toSelect.value === 'draft' ? 'draft' : Number(toSelect.value);
      writeCompareState(compare);
      void loadDiff();
    };
    fromSelect.addEventListener('change', onSelect);
    toSelect.addEventListener('change', onSelect);

    const layoutButton = (layout: DiffLayout, label: string): HTMLButtonElement =>
      h('button', {
        class: 'segmented__option',
        text: label,
        attrs: { type: 'button', 'aria-pressed': compare.layout === layout ? 'true' : 'false', 'data-testid': `layout-${layout}` },
        on: {
          click: () => {
            if (compare.layout === layout) return;
            compare.layout = layout;
            writeCompareState(compare);
            renderCompareForm();
            void loadDiff();
          },
        },
      });
    const unchanged = h('input', {
      attrs: { type: 'checkbox', id: 'compare-unchanged', checked: compare.showUnchanged, 'data-testid': 'show-unchanged' },
      on: {
        change: () => {
          compare.showUnchanged = unchanged.checked;
          writeCompareState(compare);
          void loadDiff();
        },
      },
    });
    // Keep the result element (and its content) across re-renders of the form.
    replaceChildren(
      compareSection,
      h('div', { class: 'section-head' }, h('div', {}, heading, h('p', { class: 'section-lede', text: t('agreement.compare.lede') }))),
      h(
        'div',
        { class: 'compare__controls' },
        h('label', { class: 'compare__field' }, h('span', { class: 'compare__label', text: t('agreement.compare.from') }), fromSelect),
        h('span', { class: 'compare__arrow', text: '→', attrs: { 'aria-hidden': 'true' } }),
        h('label', { class: 'compare__field' }, h('span', { class: 'compare__label', text: t('agreement.compare.to') }), toSelect),
        h('div', { class: 'segmented', attrs: { role: 'group', 'aria-label': t('agreement.compare.layout') } }, layoutButton('side', t('agreement.compare.side')), layoutButton('inline', t('agreement.compare.inline'))),
        h('label', { class: 'check' }, unchanged, h('span', { text: t('agreement.compare.showUnchanged') })),
      ),
      result,
    );
  }

  // ------------------------------------------------------------ load
  Promise.all([agreementApi.document(documentId, abort.signal), agreementApi.versions(documentId, abort.signal)]).then(
    ([answer, list]) => {
      if (destroyed) return;
      me = answer.me;
      parties = answer.document.parties;
      versions = list;
      loaded = true;
      page.showDocument(answer.document);
      render();
      void loadDiff();
      void checkReadiness();
    },
    (error: unknown) => {
      if (destroyed || abort.signal.aborted) return;
      showMessage(errorMessage(error));
    },
  );
  render();

  return {
    destroy() {
      destroyed = true;
      abort.abort();
      document.removeEventListener('visibilitychange', onVisible);
      diffAbort?.abort();
      clearTimeout(doneTimer);
    },
  };
}
