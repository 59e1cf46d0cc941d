import React from "react";
import ReactDOM from "react-dom/client";
import { MantineProvider, createTheme } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { BrowserRouter } from "react-router-dom";
import "@mantine/core/styles.css";
import "@fontsource/noto-sans/400.css";
import "@fontsource/noto-sans/600.css";
import "@fontsource/noto-sans-devanagari/400.css";
import "@fontsource/noto-sans-devanagari/600.css";
import "./i18n/i18n";
import { AuthProvider } from "./auth/AuthContext";
import { App } from "./App";

// Noto Sans Devanagari comes before the system fonts so that Hindi is shaped by a font
// made for it, on every machine.
const theme = createTheme({
  fontFamily: "'Noto Sans', 'Noto Sans Devanagari', system-ui, sans-serif",
  headings: { fontFamily: "'Noto Sans', 'Noto Sans Devanagari', system-ui, sans-serif" },
  primaryColor: "indigo",
});

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true, staleTime: 5_000 } },
});

ReactDOM.createRoot(document.getElementById("root")!).render(
  <React.StrictMode>
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <AuthProvider>
            <App />
          </AuthProvider>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </React.StrictMode>,
);
