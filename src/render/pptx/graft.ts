// The deck on the organisation's own masters: the reference file's slide masters, their layouts,
// their themes and everything those use (pictures, tags) replace the masters pptxgenjs wrote, and
// each slide is moved onto the reference layout that layout chose for it, its title on the
// layout's title placeholder. Slides added later in PowerPoint are then on brand.
//
// The reference may be hostile (docs/security.md): only the parts its masters reach through
// their relationships are copied, each renamed by us (no name from the file is used as a path),
// a link outside the package is refused, and every content type is checked before it is written.
import { strFromU8, strToU8 } from 'fflate';
import { BadReference, planGraft, referenceParts, relationships, xmlOf } from '../../load/reference.js';
import type { LaidDeck } from '../../model/layout.js';
import { escapeXml } from './text-body-xml.js';

type Parts = Record<string, Uint8Array>;

const RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const REL_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The relative path from the folder of part `from` to part `to`. */
function relativeTarget(from: string, to: string): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

function relsName(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash)}/_rels/${part.slice(slash + 1)}.rels`;
}

/**
 * `files` (the package pptxgenjs wrote) with the reference's masters in place of its own.
 * `covers[i]` says whether slide i + 1 is the cover.
 */
export function graftReference(
  files: Parts,
  referenceBytes: Uint8Array,
  reference: NonNullable<LaidDeck['reference']>,
  covers: readonly boolean[],
): Parts {
  const ref = referenceParts(referenceBytes);
  const { masters, order, rename, types } = planGraft(ref);
  const layoutOf = (part: string) => {
    const name = rename.get(part);
    if (!name) throw new BadReference(`has no layout \`${part}\` under its masters`, 'save it again from PowerPoint');
    return name;
  };
  const contentLayout = layoutOf(reference.content.part);
  const coverLayout = layoutOf(reference.cover.part);

  // Ours without its masters, layouts and theme. The notes master keeps sharing theme1.xml, which
  // is now the reference's first theme (as pptxgenjs shares its own between both masters).
  const out: Parts = {};
  for (const [name, data] of Object.entries(files))
    if (!/^ppt\/(?:slideMasters|slideLayouts)\//.test(name) && !/^ppt\/theme\/(?:_rels\/)?theme1\.xml/.test(name))
      out[name] = data;

  // The reference's parts, under our names, their relationships pointing at our names.
  const overrides: string[] = [];
  for (const part of order) {
    const name = rename.get(part)!;
    out[name] = ref[part]!;
    overrides.push(`<Override PartName="/${name}" ContentType="${types.get(part)!}"/>`);
    const rels = relationships(ref, part);
    if (rels.size === 0) continue;
    const entries = [...rels].map(
      ([id, rel]) =>
        `<Relationship Id="${id}" Type="${escapeXml(rel.uri)}" Target="${escapeXml(relativeTarget(name, rename.get(rel.target)!))}"/>`,
    );
    out[relsName(name)] = strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="${RELS_NS}">${entries.join('')}</Relationships>`,
    );
  }

  // The presentation lists the reference's masters and its first master's theme.
  const presRels = 'ppt/_rels/presentation.xml.rels';
  const firstTheme = [...relationships(ref, masters[0]!.part).values()].find((r) => r.type === 'theme');
  const kept = strFromU8(out[presRels]!).replace(/<Relationship [^>]*Type="[^"]*\/(?:slideMaster|theme)"[^>]*\/>/g, '');
  const masterRels = masters.map(
    (m, i) =>
      `<Relationship Id="rIdRefMaster${i + 1}" Type="${REL_TYPE}/slideMaster" Target="${relativeTarget('ppt/presentation.xml', rename.get(m.part)!)}"/>`,
  );
  const themeRel = firstTheme
    ? `<Relationship Id="rIdRefTheme" Type="${REL_TYPE}/theme" Target="${relativeTarget('ppt/presentation.xml', rename.get(firstTheme.target)!)}"/>`
    : '';
  out[presRels] = strToU8(kept.replace('</Relationships>', `${masterRels.join('')}${themeRel}</Relationships>`));
  const refPres = xmlOf(ref, 'ppt/presentation.xml')!;
  const size = refPres.children.find((c) => c.name === 'p:sldSz')!;
  const ids = masters.map((m) => m.id);
  out['ppt/presentation.xml'] = strToU8(
    strFromU8(out['ppt/presentation.xml']!)
      .replace(
        /<p:sldMasterIdLst>.*?<\/p:sldMasterIdLst>/s,
        `<p:sldMasterIdLst>${ids.map((id, i) => `<p:sldMasterId id="${id}" r:id="rIdRefMaster${i + 1}"/>`).join('')}</p:sldMasterIdLst>`,
      )
      .replace(
        /<p:sldSz cx="\d+" cy="\d+"/,
        `<p:sldSz cx="${Math.round(Number(size.attrs.cx))}" cy="${Math.round(Number(size.attrs.cy))}"`,
      ),
  );

  // Each slide on its layout, its title on the layout's title placeholder.
  covers.forEach((cover, i) => {
    const rels = `ppt/slides/_rels/slide${i + 1}.xml.rels`;
    const slide = `ppt/slides/slide${i + 1}.xml`;
    const layout = cover ? coverLayout : contentLayout;
    const titleType = cover ? reference.cover.titleType : reference.content.titleType;
    out[rels] = strToU8(
      strFromU8(out[rels]!).replace(
        /Target="\.\.\/slideLayouts\/slideLayout\d+\.xml"/,
        `Target="${relativeTarget(slide, layout)}"`,
      ),
    );
    out[slide] = strToU8(
      strFromU8(out[slide]!).replace(
        /<p:ph\s+idx="\d+"\s+type="title"(?:\s+hasCustomPrompt="1")?\s*\/>/,
        `<p:ph type="${titleType}"/>`,
      ),
    );
  });

  const ct = '[Content_Types].xml';
  out[ct] = strToU8(
    strFromU8(out[ct]!)
      .replace(/<Override PartName="\/ppt\/(?:slideMasters|slideLayouts)\/[^"]*"[^>]*\/>/g, '')
      .replace(/<Override PartName="\/ppt\/theme\/theme1\.xml"[^>]*\/>/, '')
      .replace('</Types>', `${overrides.join('')}</Types>`),
  );
  return out;
}
