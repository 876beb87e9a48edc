// The UI's build: Svelte + TypeScript, rooted at ui/, built to ui/dist (Tauri's frontendDist).
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const uiRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: uiRoot,
  // Relative asset URLs: the bundle works from any origin (Tauri's custom protocol, vite preview).
  base: './',
  // No svelte.config.js: Svelte 5 compiles <script lang="ts"> itself.
  plugins: [svelte({ configFile: false })],
  clearScreen: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebKitGTK (Linux), WKWebView (macOS) and WebView2 (Windows) all run ES2022.
    target: 'es2022',
    // Component styles go to the CSS file, never inline: the window's CSP allows only bundled styles.
    cssCodeSplit: false,
  },
  server: {
    port: 1420,
    strictPort: true,
    // Without warmup, a dev start sometimes lost a component's <style> (see shared/tauri-layout.md).
    warmup: { clientFiles: ['./src/main.ts', './src/**/*.svelte'] },
    watch: { ignored: ['**/src-tauri/**', '**/target/**'] },
  },
});
