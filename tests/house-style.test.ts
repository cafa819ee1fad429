// House style (issue 15): colours as an organisation writes them, contrast that stays readable,
// and the template's palette and fonts inside the PPTX.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../src/index.js';
import { contrastRatio } from '../src/load/template-schema.js';
import { PACK, readPptx, runCli, tempDir } from './helpers.js';

function templateWith(theme: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'theme.yaml'), theme);
  return dir;
}

describe('template colours', () => {
  it('takes a colour with or without `#`, in either case', async () => {
    const dir = templateWith('colors:\n  primary: "#0b2545"\n  accent: 0E6E6D\n');
    const built = await buildDeck({ content: PACK, template: dir, lang: 'en', audience: 'policymaker', slides: 4 });
    if (!built.ok) throw new Error(built.diagnostics.map((d) => d.message).join('; '));
    const { files } = readPptx(built.result.bytes);
    expect(files['ppt/theme/theme1.xml']).toContain('<a:dk2><a:srgbClr val="0B2545"/></a:dk2>');
    // The title slide's background, on its master.
    const masters = Object.entries(files).filter(([n]) => /^ppt\/slide(Masters|Layouts)\//.test(n));
    expect(masters.some(([, xml]) => xml.includes('0B2545'))).toBe(true);
  });

  it('says that an unquoted `#…` is a YAML comment, at its line', () => {
    const dir = templateWith('colors:\n  accent: "0E6E6D"\n  ink: #333333\n');
    const r = runCli(['check', '--template', dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /theme\.yaml:3:\d+: error\[invalid-value\]: `colors\.ink`: no colour here: .*unquoted `#0B2545` starts a comment; write it in quotes/,
    );
  });

  it('warns about text colours below WCAG AA contrast, and refuses them under --strict', () => {
    expect(contrastRatio('000000', 'FFFFFF')).toBeCloseTo(21, 5);
    expect(contrastRatio('13C4A3', 'FFFFFF')).toBeCloseTo(2.2, 1);
    const dir = templateWith('colors:\n  accent: "13C4A3"\n');
    const r = runCli(['check', '--template', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /theme\.yaml:2:\d+: warning\[low-contrast\]: `colors\.accent` \(13C4A3\) on white is 2\.2:1, below the 4\.5:1 that kickers and labels need/,
    );
    expect(runCli(['check', '--strict', '--template', dir]).code).not.toBe(0);
    // The built-in palette passes every pair.
    expect(runCli(['check']).stderr).not.toContain('low-contrast');
  });
});
