// proxy-addr (Express's own dependency) ships no types, and @types/proxy-addr is
// not installed: only the call Accord makes.
declare module 'proxy-addr' {
  import type { IncomingMessage } from 'node:http';

  /** The client's address: the socket's, or the X-Forwarded-For hop past the last trusted proxy. */
  function proxyaddr(req: Pick<IncomingMessage, 'headers'> & { socket: { remoteAddress?: string | undefined } }, trust: (address: string, hop: number) => boolean): string;
  export default proxyaddr;
}
