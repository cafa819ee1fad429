// What `briefing init DIR` writes: a template folder with only what a brand changes first, every
// key explained, and everything else taken from the built-in templates (`init --full` copies them).

/** theme.yaml with the built-in colours as values to edit, and the other keys as examples. */
export function starterTheme(builtinTheme: string): string {
  const colors = /^colors:\n((?:[ \t]+.*\n)+)/m.exec(builtinTheme)?.[1] ?? '';
  return `# Your template folder. Keys you leave out keep the built-in values (briefing's templates/theme.yaml);
# run \`briefing check --template <this folder>\` after each change. \`briefing init DIR --full\` copies
# every built-in file instead, and \`briefing init DIR --from house.potx\` starts from your PowerPoint
# template. Colours are six hex digits, with or without # (quote a "#0B2545": an unquoted # starts a
# YAML comment). check warns when text would be hard to read on its background (WCAG AA).
colors:
${colors}
# A logo on the cover slide and the first memo page (PNG or JPEG in this folder; width in points):
# logo: { file: logo.png, width: 96 }

# A line on every content slide and memo footer, per language:
# footerText: { en: "Northbridge Institute · For discussion" }

# The typefaces written into the deck, per language (the files measure them; see docs/templates.md):
# fonts:
#   en:
#     deck: { face: Calibri, eaFace: Microsoft JhengHei }
`;
}

/** strings/en.yaml: one override, to show how any text of the outputs is changed. */
export const STARTER_STRINGS = `# Any text the outputs print is a string here; this file overrides only the keys it names (the others
# are briefing's templates/strings/en.yaml). {government} is the pack's government (Washington).
deck:
  recommendations: What the research urges {government} to do
`;
