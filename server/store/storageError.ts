/**
 * The store could not write (disk full, file system read-only, I/O error).
 * Nothing of the refused change was stored; what was stored before is intact.
 * Routes answer 503 with this message; sync rooms close with 4500.
 */
export class StorageUnavailableError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'StorageUnavailableError';
  }
}

/**
 * SQLite result codes that mean "the storage refused the write", as opposed to
 * a bug (constraint, syntax): SQLITE_FULL, SQLITE_READONLY*, SQLITE_IOERR*,
 * SQLITE_CANTOPEN*, SQLITE_CORRUPT*, SQLITE_NOTADB, SQLITE_PROTOCOL (WAL locking failed).
 */
const STORAGE_CODES = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/;

/** The storage failure behind `error`, when it is one (else undefined). */
export function storageFailureOf(error: unknown): StorageUnavailableError | undefined {
  if (error instanceof StorageUnavailableError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !STORAGE_CODES.test(code)) return undefined;
  const what = code.startsWith('SQLITE_FULL')
    ? 'the disk is full'
    : code.startsWith('SQLITE_READONLY')
      ? 'the database is read-only'
      : `the database could not be written (${(error as Error).message})`;
  return new StorageUnavailableError(
    `The server cannot store changes right now: ${what}. Nothing of this change was saved; everything saved before is safe. Try again once an administrator has fixed the storage.`,
    error,
  );
}
