import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Security headers on every response — pages, API, assets, errors (helmet).
 *
 * The Content-Security-Policy allows only this server's own scripts (the Vite
 * bundle: no inline script), styles, fonts and images (the favicon is a data:
 * URI), and connections back to it ('self' covers the sync WebSocket and
 * socket.io on the same host, ws: and wss: alike). `frame-ancestors 'none'`
 * (and X-Frame-Options: DENY for older browsers): the Agree and Sign buttons
 * cannot be framed by another page, even one on the same host.
 *
 * No inline style either: the page sets its styles through the CSSOM (remote
 * cursors' colours included), which the policy does not govern; a style
 * attribute in markup would be blocked (tests/browser/csp.test.ts visits every
 * screen and sees no violation).
 *
 * No HSTS and no upgrade-insecure-requests: Accord is often served over plain
 * HTTP on a meeting's own network; a TLS proxy in front sets HSTS itself.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
}
