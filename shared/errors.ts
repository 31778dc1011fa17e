/**
 * Typed errors shared by client and server. Each carries a stable `reason`
 * that callers switch on and a message a person can act on.
 */
export const ModelErrorReason = {
  PairNotFound: 'pair_not_found',
  NoNextPair: 'no_next_pair',
  InvalidOffset: 'invalid_offset',
  InvalidKind: 'invalid_kind',
  InvalidIndex: 'invalid_index',
} as const;
export type ModelErrorReason = (typeof ModelErrorReason)[keyof typeof ModelErrorReason];

export class ModelError extends Error {
  constructor(
    readonly reason: ModelErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}
