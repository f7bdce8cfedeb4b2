import react from '@vitejs/plugin-react';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { META_CONTENT_SECURITY_POLICY } from './shared/csp.ts';

const root = dirname(fileURLToPath(import.meta.url));
const CSP_PLACEHOLDER = '%PREFLIGHT_CSP%';

/**
 * Fills renderer/index.html's CSP meta with the policy of shared/csp.ts at build time.
 * The dev server drops the meta instead (its HMR client needs inline scripts).
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'preflight-csp-meta',
    transformIndexHtml: {
      order: 'pre',
      handler(html, ctx) {
        if (!html.includes(CSP_PLACEHOLDER)) throw new Error(`renderer/index.html lacks the CSP meta (content="${CSP_PLACEHOLDER}")`);
        if (ctx.server) return html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
        return html.replace(CSP_PLACEHOLDER, META_CONTENT_SECURITY_POLICY);
      },
    },
  };
}

export default defineConfig({
  root: join(root, 'renderer'),
  base: './',
  plugins: [contentSecurityPolicyMeta(), react()],
  build: {
    outDir: join(root, 'dist', 'renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});
