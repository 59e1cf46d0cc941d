import { expect, test } from "@playwright/test";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

// Every string is translated: English and Hindi have the same keys, no Hindi string is left
// in English by mistake, and every literal key the code asks for exists.
type Tree = { [key: string]: string | Tree };
const load = (lng: string) => JSON.parse(readFileSync(join(here, `../src/i18n/${lng}.json`), "utf8")) as Tree;
const flatten = (tree: Tree, prefix = ""): Record<string, string> =>
  Object.entries(tree).reduce(
    (out, [k, v]) => ({ ...out, ...(typeof v === "string" ? { [prefix + k]: v } : flatten(v, `${prefix}${k}.`)) }),
    {} as Record<string, string>,
  );
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".tsx") || path.endsWith(".ts") ? [path] : [];
  });

test("English and Hindi carry the same keys", () => {
  const en = flatten(load("en"));
  const hi = flatten(load("hi"));
  expect(Object.keys(hi).sort()).toEqual(Object.keys(en).sort());
  // Words that are the same in both (names, acronyms) are allowed; whole sentences are not.
  const untranslated = Object.keys(en).filter((k) => en[k] === hi[k] && en[k].split(" ").length > 2);
  expect(untranslated).toEqual([]);
  for (const [key, text] of Object.entries(hi)) {
    if (en[key] !== text) expect(text, key).toMatch(/[\u0900-\u097F]/);
  }
});

test("every literal key the code uses exists", () => {
  const en = flatten(load("en"));
  const missing: string[] = [];
  for (const file of sources(join(here, "../src"))) {
    for (const match of readFileSync(file, "utf8").matchAll(/\bt\("([a-zA-Z]+\.[a-zA-Z.]+)"/g)) {
      if (!(match[1] in en)) missing.push(`${file}: ${match[1]}`);
    }
  }
  expect(missing).toEqual([]);
});
