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
 * `style-src-attr 'unsafe-inline'`: the page itself styles only through the
 * CSSOM, but text pasted from Word or Google Docs marks its italics and bold
 * with style attributes, which ProseMirror reads from the pasted HTML; a
 * policy without it blocks them there too and the formatting (part of the
 * agreed text) is lost on paste. A style attribute runs no script; inline
 * script, including event-handler attributes, stays refused.
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
        styleSrcAttr: ["'unsafe-inline'"],
        scriptSrcAttr: ["'none'"],
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
