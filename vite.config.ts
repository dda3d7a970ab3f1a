/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import type { Plugin } from 'vite';

/**
 * Start downloading the engine Worker's script together with the page's own
 * JavaScript (instead of after it has run): a preload hint in index.html for
 * the built worker chunk. The Worker then finds it in the HTTP cache.
 */
function preloadEngineWorker(): Plugin {
  return {
    name: 'nimbus-preload-engine-worker',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const file = Object.keys(ctx.bundle ?? {}).find((f) => /(^|\/)worker-[\w-]+\.js$/.test(f));
        if (!file) return [];
        return [{ tag: 'link', attrs: { rel: 'preload', as: 'fetch', crossorigin: '', href: `./${file}` }, injectTo: 'head' }];
      },
    },
  };
}

export default defineConfig({
  // Relative base: the built app can be served from any folder (docs sites, GitHub Pages).
  base: './',
  plugins: [
    svelte(),
    preloadEngineWorker(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icons/*.svg', 'icons/*.png', 'embed.js'],
      manifest: {
        name: 'Nimbus: AWS S3 and ECS sandbox',
        short_name: 'Nimbus',
        description: 'Practice the AWS CLI with S3 and ECS in a simulated cloud that runs in your browser, offline.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#14171c',
        theme_color: '#14171c',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        // Everything the app needs offline: JS (Monaco and its workers included), CSS, fonts, lessons, icons.
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,ico,webmanifest,json,woff,woff2,ttf}'],
        // Monaco's chunks are several MB; Workbox skips files over 2 MB by default.
        maximumFileSizeToCacheInBytes: 20 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
  },
  test: {
    include: ['test/unit/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    // Generous: a few tests spawn the headless runner or replay lessons, and CI machines have 2 cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
