import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // antd's core (form, layout, menu, date picker) is shared by every screen and is ~280 kB gzipped.
    chunkSizeWarningLimit: 1000,
    rollupOptions: {
      output: {
        // React changes less often than the app; a separate chunk keeps it cached across releases.
        // Everything else is left to Rollup, so ProTable and friends load only with the admin screens.
        manualChunks(id) {
          return /node_modules\/(react|react-dom|scheduler|react-router|react-router-dom|@remix-run)\//.test(
            id,
          )
            ? 'react'
            : undefined;
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': api,
      '/healthz': api,
    },
  },
});
