/**
 * Every error code the API can answer with has a Chinese and an English text in the web app, and so do
 * the fields and rules of a refused input (web/src/field-rules.ts). The web
 * app imports nothing of src/ (lint rule), so this test reads both sides: the catalog by import, the
 * app's tables (web/src/errors.ts CODE_TEXT, the EN dictionaries of web/src/i18n*.ts[x]) as text.
 */
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from '../src/core/errors.js';
import { HTTP_ERROR_CODES } from '../src/http/error-handler.js';

const WEB = new URL('../web/src/', import.meta.url);

/** A single- or double-quoted string literal's pattern and its value. */
const STR = `'((?:[^'\\\\]|\\\\.)*)'|"((?:[^"\\\\]|\\\\.)*)"`;
const LINE = new RegExp(`^\\s+(?:${STR}|([^\\s:'"{}]+)):\\s*(?:${STR}),?$`, 'gm');
const unquote = (s: string) => s.replace(/\\(['"])/g, '$1');

/** `key: 'value'` lines of an object literal (keys bare or quoted), as a map. */
function entries(source: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of source.matchAll(LINE)) map.set(unquote(m[1] ?? m[2] ?? m[3] ?? ''), unquote(m[4] ?? m[5] ?? ''));
  return map;
}

/** The English dictionary of the web app: every `i18n*.ts[x]` file's `key: 'value'` lines. */
async function english(): Promise<Map<string, string>> {
  const en = new Map<string, string>();
  for (const file of await readdir(WEB)) {
    if (!/^i18n.*\.tsx?$/.test(file)) continue;
    for (const [k, v] of entries(await readFile(new URL(file, WEB), 'utf8'))) en.set(k, v);
  }
  return en;
}

describe('the error texts of the web app', () => {
  it('say every field and rule of a refused input in English too', async () => {
    // Comments out first: their apostrophes ("the user's") would pair with the quotes of literals.
    const source = (await readFile(new URL('field-rules.ts', WEB), 'utf8'))
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    const chinese = [...source.matchAll(new RegExp(STR, 'g'))]
      .map((m) => unquote(m[1] ?? m[2] ?? ''))
      .filter((s) => /[\u4e00-\u9fff]/.test(s));
    expect(chinese).toContain('车牌');
    expect(chinese).toContain('最多 {n} 个字符');
    const en = await english();
    const missing = [...chinese, '{field}{rule}'].filter((s) => !/^[^\u4e00-\u9fff]+$/.test(en.get(s) ?? ''));
    expect(missing).toEqual([]);
  });

  it('say every catalog and HTTP error code in Chinese and in English', async () => {
    const errors = await readFile(new URL('errors.ts', WEB), 'utf8');
    const table = errors.slice(
      errors.indexOf('const CODE_TEXT'),
      errors.indexOf('};', errors.indexOf('const CODE_TEXT')),
    );
    const zh = entries(table);
    const en = await english();
    const codes = [...Object.keys(ERROR_CATALOG), ...HTTP_ERROR_CODES];
    expect(codes.length).toBeGreaterThan(80);
    const noChinese = codes.filter((c) => !/[\u4e00-\u9fff]/.test(zh.get(c) ?? ''));
    const noEnglish = codes.filter((c) => zh.has(c) && !/^[^\u4e00-\u9fff]+$/.test(en.get(zh.get(c) ?? '') ?? ''));
    expect({ noChinese, noEnglish }).toEqual({ noChinese: [], noEnglish: [] });
  });
});
