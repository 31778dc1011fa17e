import { ID_PATTERN } from '../../../shared/limits.ts';
import type { AppContext } from '../../lib/context.ts';
import { versionsScreen } from '../versions/index.ts';
import { statusScreen } from './index.ts';

/**
 * The agreement views of a declaration:
 *   /d/<documentId>/status     the status matrix
 *   /d/<documentId>/versions   versions, signatures, comparisons
 * Returns the screen, or undefined when the path is not one of them.
 */
export function agreementRoute(root: HTMLElement, path: string, ctx: AppContext): { destroy(): void } | undefined {
  const match = /^\/d\/([^/]+)\/(status|versions)\/?$/.exec(path);
  if (!match) return undefined;
  let id = '';
  try {
    id = decodeURIComponent(match[1] ?? '');
  } catch {
    return undefined;
  }
  if (!ID_PATTERN.test(id)) return undefined;
  return match[2] === 'status' ? statusScreen(root, ctx, id) : versionsScreen(root, ctx, id);
}
