import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app shares the API's zod schemas (domain/), so validation as you type is the server's own.
const domain = fileURLToPath(new URL('../domain', import.meta.url));

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@domain': domain },
    // domain/ sits outside web/: make its `import 'zod'` use the web app's copy, so one zod is bundled.
    dedupe: ['zod'],
  },
  server: {
    fs: { allow: ['..'] },
    // `npm run dev` talks to an engine on PORT (default 8080), same origin as in production.
    proxy: { '/api': `http://127.0.0.1:${process.env.PORT ?? 8080}` },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1200 },
});
