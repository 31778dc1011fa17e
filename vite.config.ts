import { defineConfig } from 'vite';

/** The browser client: sources in client/, bundle in dist/client (served by the server). */
export default defineConfig({
  root: 'client',
  // Source maps only when asked for (ACCORD_SOURCE_MAPS=1): the 2.5 MB map of the whole client is not served by default.
  build: { outDir: '../dist/client', emptyOutDir: true, sourcemap: process.env.ACCORD_SOURCE_MAPS === '1' },
  server: {
    // `npm run dev:client` proxies the API, socket.io and sync to a running server.
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'ws://127.0.0.1:3000', ws: true },
      '/sync': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
});
