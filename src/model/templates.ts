// The template folder after layering: the files that win for one audience, the theme, the strings.
import type { AudienceProfile, Strings, Theme } from './theme.js';

export interface TemplateFile {
  /** Path inside the template folder, e.g. `partials/slide-bullets.hbs`. */
  name: string;
  source: string;
  /** Where it came from, as shown in diagnostics. */
  file: string;
}

export interface Templates {
  /** Folders searched, user folder first. */
  dirs: string[];
  deck: TemplateFile;
  memo: TemplateFile;
  /** Partial name (file name without `.hbs`) → file. */
  partials: Record<string, TemplateFile>;
  theme: Theme;
  strings: Strings;
  audiences: AudienceProfile[];
  /** Real paths of every file read from the template folders: templates, YAML, fonts, logo. */
  inputs?: string[];
}
