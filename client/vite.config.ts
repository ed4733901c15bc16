import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { prosemirrorViewPatches } from './build/prosemirrorViewPatches'
import { yTiptapPatches } from './build/yTiptapPatches'

const server = process.env.ACCORD_SERVER ?? 'http://localhost:3000'

export default defineConfig({
  plugins: [yTiptapPatches(), prosemirrorViewPatches(), react()],
  // The dev server pre-bundles dependencies without the plugins above: patch them there too.
  optimizeDeps: { rolldownOptions: { plugins: [yTiptapPatches(), prosemirrorViewPatches()] } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: {
      '/api': server,
      '/collab': { target: server.replace(/^http/, 'ws'), ws: true },
    },
  },
})
