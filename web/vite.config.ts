/// <reference types="vitest/config" />
// Dev server: `npm run dev` serves the app on :5173 and proxies the API paths to a running
// `itl serve` (ITL_API_URL, default http://127.0.0.1:8000), so the browser sees one origin,
// exactly as in the unified deployment where the API serves web/dist at /.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = process.env.ITL_API_URL ?? "http://127.0.0.1:8000";
const proxied = ["/api", "/schema", "/.well-known", "/health", "/ready"];

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: api, changeOrigin: true }])),
  },
  build: {
    target: "es2022",
    sourcemap: false,
    // One chunk for the app, one for vendor code that changes rarely (better long-term caching).
    rollupOptions: {
      output: {
        manualChunks: (id: string) => (id.includes("node_modules") ? "vendor" : undefined),
      },
    },
  },
  test: {
    environment: "happy-dom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    css: false,
    restoreMocks: true,
    // Component tests sign in and click through screens: 5 s is tight on a loaded 2-core machine.
    testTimeout: 20_000,
    unstubGlobals: true,
  },
});
