import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stderr (stdout is kept for the human start-up lines). */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined }, pino.destination(2));
}
