import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The dashboard is served by `vaarta serve` from web/dist. Hashed file names under
// assets/ let the server cache them for a year; index.html is revalidated every time.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      "/api": { target: "http://127.0.0.1:8080", ws: true },
    },
  },
});
