import { ErrorCode } from '../../../shared/protocol.ts';
import { ApiError } from '../../lib/api.ts';
import { t, type MessageKey } from '../../i18n/index.ts';

/** The account refusals of issue 20, in the interface language (the server's own message for anything else). */
const REFUSALS: Partial<Record<string, MessageKey>> = {
  [ErrorCode.SignInLinkRefused]: 'admin.refused.linkRefused',
  [ErrorCode.SecretariatHoldsNoSeat]: 'admin.refused.noSeat',
};

/** The same failure, its message translated when it is one of ours; anything else as it came. */
export function refusalMessage(cause: unknown, name: string): unknown {
  if (!(cause instanceof ApiError)) return cause;
  const key = REFUSALS[cause.code];
  return key ? new ApiError(cause.status, cause.code, t(key, { name })) : cause;
}
