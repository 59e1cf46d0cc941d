import { createTheme, type CSSVariablesResolver } from "@mantine/core";

// Noto Sans Devanagari comes before the system fonts so that Hindi is shaped by a font
// made for it, on every machine.
export const theme = createTheme({
  fontFamily: "'Noto Sans', 'Noto Sans Devanagari', system-ui, sans-serif",
  headings: { fontFamily: "'Noto Sans', 'Noto Sans Devanagari', system-ui, sans-serif" },
  primaryColor: "indigo",
  // Filled buttons and badges: a darker shade, and black or white text by the colour's
  // luminance with the switch at 0.18, where either choice is above 4.5:1 (WCAG AA).
  primaryShade: 8,
  autoContrast: true,
  luminanceThreshold: 0.18,
});

// Light badges and alerts: text in a shade dark enough for 4.5:1 on the colour's own tint.
// Mantine's shade 9 passes for the dark hues; green, teal, lime, yellow, orange and cyan
// need darker inks than the palette has (green 9 on its tint is 3.8:1).
const LIGHT_INK: Record<string, string> = {
  green: "#1b5e20",
  teal: "#0b5e55",
  lime: "#3d5a00",
  yellow: "#7a5a00",
  orange: "#a33e00",
  cyan: "#0b5566",
};

// Text contrast of at least 4.5:1 (WCAG 2 AA), checked by the accessibility audit in
// tests/journeys.spec.ts: secondary ("dimmed") text and the placeholders that Mantine draws
// as elements (a file input's "Choose a file") go from gray 6 and 5 to gray 7.
export const contrastResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
    "--mantine-color-placeholder": "var(--mantine-color-gray-7)",
    ...Object.fromEntries(Object.entries(LIGHT_INK).map(([c, ink]) => [`--mantine-color-${c}-light-color`, ink])),
  },
  dark: {},
});
