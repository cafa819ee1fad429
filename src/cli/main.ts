// The command line: parses options, runs the library, prints, writes files. The only code that
// touches the terminal. Heavy modules (pipeline, renderers) load only when a command needs them.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { dateFromEpoch, isCalendarDate } from '../dates.js';
import type { ContentPack } from '../model/content.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { AUDIENCES, LANGS, type Lang } from '../model/lang.js';
import { IMAGE_WIDTH, LENGTH_LIMITS } from '../model/limits.js';
import { PACKAGE_ROOT } from '../paths.js';
import { escapeControls, printable } from '../printable.js';
import { mark } from '../trace.js';
import { formatBytes, type Printer, printDiagnostics, safeJson } from './print.js';
import {
  folderTarget,
  inputClash,
  OutputError,
  type OutputFile,
  outputTarget,
  realOutputPath,
  writeAtomic,
  writeFolderAtomic,
} from './write-output.js';

class UsageError extends Error {}

const EXIT = Object.freeze({ ok: 0, content: 1, usage: 2, internal: 70 });

type DeckFormat = 'pptx' | 'pdf' | 'svg' | 'png';

/**
 * Standard output that cannot take what is written (a reader that stopped, `| head`; a full disk,
 * `> /dev/full`) is reported once, on stderr, and the run exits 1, instead of Node's stack trace
 * for an unhandled 'error' event.
 */
let stdoutFailed = false;
function watchStandardStreams(): void {
  if (process.stdout.listenerCount('error') > 0) return;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (stdoutFailed) return;
    stdoutFailed = true;
    const why =
      e.code === 'EPIPE'
        ? 'was closed before everything was written'
        : e.code === 'ENOSPC'
          ? 'is on a full disk'
          : `cannot be written (${e.code ?? e.message})`;
    try {
      process.stderr.write(`error: standard output ${why}\n`);
    } catch {
      // Nowhere left to say it.
    }
    process.exitCode = EXIT.content;
  });
  // A terminal or file that cannot take an error message has nothing more to tell.
  process.stderr.on('error', () => {});
}

function defaultPrinter(): Printer {
  watchStandardStreams();
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    color: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR,
  };
}

interface CommonOptions {
  content?: string;
  lang: string;
  audience: string;
  template?: string;
  output?: string;
  date?: string;
  marking?: string;
  emit?: string[];
  json?: boolean;
  strict?: boolean;
  quiet?: boolean;
}

export { handleInterrupts } from './interrupt.js';

export async function main(argv: readonly string[], io: Printer = defaultPrinter()): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('briefing')
    .description(
      'Turn one body of policy research into exact-length PowerPoint decks and PDF memos,\nin English, Traditional or Simplified Chinese, shaped for the audience in the room.',
    )
    .version(version(), '-V, --version')
    .exitOverride()
    // Commander echoes arguments in its messages: shown with their control characters escaped.
    .configureOutput({
      writeOut: (s) => io.out(escapeControls(s.replace(/\n$/, ''), true)),
      writeErr: (s) => io.err(escapeControls(s.replace(/\n$/, ''), true)),
    })
    .showHelpAfterError('(run with --help for usage)');

  const common = (cmd: Command) =>
    cmd
      .option('-c, --content <dir>', 'content pack folder (default: the built-in pack content/real-ai-race)')
      .option('-l, --lang <lang>', `output language: ${LANGS.join(', ')} (also zh-TW, zh-CN)`, 'en')
      .option('-a, --audience <id>', 'audience profile (see `briefing list audiences`)', 'policymaker')
      .option('-t, --template <dir>', 'template folder layered over the built-in templates')
      .option(
        '-o, --output <file>',
        'output file (default: out/<pack>-<audience>-<lang>-<N>slides.pptx or …-<N>page.pdf)',
      )
      .option('--date <YYYY-MM-DD>', "the document's date (default: the pack's date, so output is reproducible)")
      .option(
        '--marking <text>',
        'a banner at the top and bottom of every slide and page, e.g. UNCLASSIFIED (default: the audience\'s; "" for none)',
      )
      .addOption(
        new Option('--emit <stage...>', 'also write a stage output beside the file').choices([
          'markdown',
          'document',
          'layout',
        ]),
      )
      .option('--json', 'print a machine-readable summary (with the fit report) on stdout')
      .option('--strict', 'fail, writing nothing, when there is a warning or anything had to be left out')
      .option('-q, --quiet', 'print errors only');

  common(
    program
      .command('deck')
      .description(
        'build a PowerPoint deck of exactly N slides (or its PDF handout, or the slides as SVG or PNG files)',
      ),
  )
    .option('-s, --slides <n>', 'number of slides, at least 3', '10')
    .addOption(
      new Option(
        '-f, --format <format>',
        'pptx; pdf for a handout with the same slides; svg or png for one picture per slide, in a folder (-o DIR, default out/<pack>-<audience>-<lang>-<N>slides-svg/)',
      )
        .choices(['pptx', 'pdf', 'svg', 'png'])
        .default('pptx'),
    )
    .option('--notes', 'with --format pdf: A4 pages, each slide with its speaker notes under it')
    .option('--width <px>', `with --format png: the pictures' width in pixels (default ${IMAGE_WIDTH.default})`)
    .action(async (opts: CommonOptions & { slides: string; format: DeckFormat; notes?: boolean; width?: string }) => {
      if (opts.notes && opts.format !== 'pdf')
        throw new UsageError('--notes is for the PDF handout: add `--format pdf`');
      if (opts.width !== undefined && opts.format !== 'png')
        throw new UsageError('--width is for PNG pictures: add `--format png`');
      const slides = integer(opts.slides, '--slides', LENGTH_LIMITS.slides.min, LENGTH_LIMITS.slides.max);
      if (opts.format === 'svg' || opts.format === 'png') {
        const width =
          opts.width === undefined
            ? IMAGE_WIDTH.default
            : integer(opts.width, '--width', IMAGE_WIDTH.min, IMAGE_WIDTH.max);
        code = await runBuild('images', { ...opts, imageFormat: opts.format, width }, slides, io);
        return;
      }
      code = await runBuild(opts.format === 'pdf' ? 'handout' : 'deck', { ...opts, width: undefined }, slides, io);
    });

  common(program.command('memo').description('build a PDF policy memo of exactly N pages'))
    .option('-p, --pages <n>', 'number of pages', '1')
    .action(async (opts: CommonOptions & { pages: string }) => {
      code = await runBuild(
        'memo',
        opts,
        integer(opts.pages, '--pages', LENGTH_LIMITS.pages.min, LENGTH_LIMITS.pages.max),
        io,
      );
    });

  program
    .command('preview')
    .description(
      'show the pack in a web page on this machine, every output, audience and language, rebuilt as you edit',
    )
    .option('-c, --content <dir>', 'content pack folder (default: the built-in pack content/real-ai-race)')
    .option('-t, --template <dir>', 'template folder layered over the built-in templates')
    .option('-l, --lang <lang>', 'the language shown first', 'en')
    .option('-a, --audience <id>', 'the audience shown first', 'policymaker')
    .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', String(PREVIEW_PORT))
    .option('--open', 'open the page in the default browser')
    .option('--date <YYYY-MM-DD>', "the document's date (default: the pack's date)")
    .option('--marking <text>', 'a banner on every slide and page (default: the audience\'s; "" for none)')
    .action(async (opts: PreviewCliOptions) => {
      code = await runPreview(opts, io);
    });

  program
    .command('build')
    .description(
      'build a matrix of decks and memos declared in a config file (default: briefing.config.yaml, else the built-in matrix)',
    )
    .option('--config <file>', 'the build config (see docs/build.md)')
    .option('--shard <I/N>', 'build only the I-th of N deterministic shares of the matrix (for CI matrices)')
    .option('-j, --jobs <n>', 'worker threads (default 1)')
    .option('--json', 'print a machine-readable summary on stdout')
    .option('-q, --quiet', 'print the final line and failures only')
    .action(async (opts: { config?: string; shard?: string; jobs?: string; json?: boolean; quiet?: boolean }) => {
      const { runBuildCommand, BuildUsageError } = await import('./build-command.js');
      try {
        code = await runBuildCommand({ ...opts, isTTY: Boolean(process.stderr.isTTY) }, io);
      } catch (e) {
        if (e instanceof BuildUsageError) throw new UsageError(e.message);
        throw e;
      }
    });

  program
    .command('check')
    .description('validate a content pack and templates in every language the pack declares; write nothing')
    .option('-c, --content <dir>', 'content pack folder (default: the built-in pack)')
    .option('-t, --template <dir>', 'template folder layered over the built-in templates')
    .option('-a, --audience <id>', 'audience whose templates to check', 'policymaker')
    .option('--strict', 'treat warnings as errors')
    .option('-q, --quiet', 'print errors only')
    .option('--trace', 'print every claim beside its source and locator (`source: { id, at }`), for a fact-check')
    .option(
      '--source-text <id=file>',
      "with --trace: a source's plain text, so each locator's paragraphs (¶N: blocks between blank lines) print under the claim; repeatable",
      (value: string, list: string[]) => [...list, value],
      [] as string[],
    )
    .option('-l, --lang <lang>', "with --trace: the language of the claims' text (default: the pack's first)")
    .action(async (opts: CheckOptions) => {
      code = await runCheck(opts, io);
    });

  program
    .command('list')
    .description('list the audiences, languages or modules available')
    .argument('<what>', 'audiences, languages or modules')
    .option('-c, --content <dir>', 'content pack folder (default: the built-in pack)')
    .option('-t, --template <dir>', 'template folder layered over the built-in templates')
    .action(async (what: string, opts: { content?: string; template?: string }) => {
      code = await runList(what, opts, io);
    });

  program
    .command('init')
    .description(
      "start a template folder in DIR: a commented theme.yaml and one example; --full copies every built-in file; --from imports an organisation's PowerPoint template",
    )
    .argument('<dir>', 'folder to create')
    .option(
      '--from <file>',
      "a .potx or .pptx: take its colours, fonts, slide size, logo and footer into DIR's theme.yaml, and keep it as the deck's reference (its masters and layouts)",
    )
    .option('--no-reference', 'with --from: only the colours, fonts and logo, drawn on the built-in masters')
    .option('--full', 'copy every built-in template file, not only a commented theme.yaml and one example')
    .action(async (dir: string, opts: { from?: string; full?: boolean; reference?: boolean }) => {
      code = await runInit(dir, io, opts.from, opts.full ?? false, opts.reference ?? true);
    });

  if (argv.length === 0) {
    // No command is a usage error: the help, on stderr, and exit 2.
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return stdoutFailed && code === EXIT.ok ? EXIT.content : code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof UsageError || (e instanceof OutputError && e.usage)) {
      io.err(`error: ${escapeControls(e.message)}`);
      return EXIT.usage;
    }
    if (e instanceof OutputError) {
      io.err(`error: ${escapeControls(e.message)}`);
      return EXIT.content;
    }
    io.err(`internal error: ${(e as Error).message}`);
    io.err((e as Error).stack ?? '');
    io.err('this is a bug in briefing; please report it with the command you ran');
    return EXIT.internal;
  }
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

function integer(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n))
    throw new UsageError(`${name} takes a whole number, got \`${value}\``);
  if (n < min)
    throw new UsageError(
      name === '--slides'
        ? `a deck needs at least ${min} slides (title, bottom line, recommendations); got ${n}`
        : `${name} must be at least ${min}, got ${n}`,
    );
  if (n > max) throw new UsageError(`${name} must be at most ${max}, got ${n}`);
  return n;
}

async function parseLangOption(value: string): Promise<Lang> {
  const { parseLang } = await import('../localize/lang.js');
  const lang = parseLang(value);
  if (!lang)
    throw new UsageError(`unknown language \`${value}\`; languages are ${LANGS.join(', ')} (also zh-TW, zh-CN)`);
  return lang;
}

/** The document date from `SOURCE_DATE_EPOCH` (reproducible builds), when set. */
function dateFromEnvironment(): string | null {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return null;
  if (!/^\d+$/.test(epoch.trim()))
    throw new UsageError(`SOURCE_DATE_EPOCH must be whole seconds since 1970, got \`${printable(epoch)}\``);
  const date = dateFromEpoch(epoch.trim());
  if (!date) throw new UsageError(`SOURCE_DATE_EPOCH \`${printable(epoch)}\` is after the year 9999`);
  return date;
}

/** `--date`: a day that exists, written YYYY-MM-DD. */
function dateOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UsageError(`--date takes YYYY-MM-DD, got \`${printable(value)}\``);
  if (!isCalendarDate(value))
    throw new UsageError(
      `--date \`${value}\` is not a day of the calendar (months 01–12, days that month has, years 0001–9999)`,
    );
  return value;
}

function display(p: string): string {
  return relative(process.cwd(), p) || '.';
}

async function contentDir(opt: string | undefined): Promise<string> {
  const { DEFAULT_PACK } = await import('../paths.js');
  return opt ? resolve(opt) : DEFAULT_PACK;
}

/**
 * Audience ids known to the template folders; an unknown one is a usage error listing them. An
 * audience's id is its file name (the loader enforces it), so this reads folder listings only and
 * leaves validating the files to the build, which reports their problems with file and line.
 */
async function checkAudience(audience: string, template: string | undefined): Promise<void> {
  const { BUILTIN_TEMPLATES } = await import('../paths.js');
  const { listConfined, realFolder } = await import('../load/confined.js');
  templateFolder(template, realFolder);
  const dirs = template ? [resolve(template), BUILTIN_TEMPLATES] : [BUILTIN_TEMPLATES];
  const ids = new Set<string>();
  for (const dir of dirs) {
    // Listing only; the files themselves are read, with the folder rules, by the build.
    for (const f of listConfined(join(dir, 'audiences'), realFolder(dir)).names)
      if (/^[a-z0-9][a-z0-9-]*\.ya?ml$/.test(f)) ids.add(f.replace(/\.ya?ml$/, ''));
  }
  if (!ids.has(audience))
    throw new UsageError(
      `unknown audience \`${printable(audience)}\`; audiences are ${[...ids]
        .sort()
        .map((a) => printable(a))
        .join(', ')}`,
    );
}

/** `--template DIR` must be an existing folder; a PowerPoint file is imported first. */
function templateFolder(template: string | undefined, realFolder: (d: string) => string | null): void {
  if (template !== undefined && /\.(potx|pptx|potm|pptm)$/i.test(template) && !realFolder(resolve(template))) {
    // The folder `init` would make beside it, named after the file; say so if it is there already.
    const stem = basename(template).replace(/\.[^.]+$/, '');
    const folder = /^[\w.-]{1,60}$/.test(stem) ? stem : 'house';
    const made = join(dirname(template), folder);
    const shown = printable(made === folder ? folder : made);
    throw new UsageError(
      realFolder(resolve(made)) && existsSync(join(resolve(made), 'theme.yaml'))
        ? `\`${printable(template)}\` is a PowerPoint file, not a template folder: build with \`--template ${shown}\`, the template folder beside it`
        : `\`${printable(template)}\` is a PowerPoint file, not a template folder: import it once with \`briefing init ${shown} --from ${printable(template)}\` (its colours, fonts and logo, and the file itself as the deck's reference), then build with \`--template ${shown}\``,
    );
  }
  if (template !== undefined && !realFolder(resolve(template))) {
    throw new UsageError(
      `template folder \`${printable(template)}\` does not exist or is not a folder (create one with \`briefing init ${printable(template)}\`)`,
    );
  }
}

async function runBuild(
  kind: 'deck' | 'handout' | 'memo' | 'images',
  opts: CommonOptions & { notes?: boolean; imageFormat?: 'svg' | 'png'; width?: number },
  count: number,
  io: Printer,
): Promise<number> {
  const started = performance.now();
  const lang = await parseLangOption(opts.lang);
  const date = dateOption(opts.date) ?? dateFromEnvironment();
  const toStdout = opts.output === '-';
  if (kind === 'images') imagesFolderOption(opts.output, opts.imageFormat ?? 'svg');
  if (toStdout && opts.json)
    throw new UsageError('--json prints on standard output, where `-o -` writes the file: give a file name with `-o`');
  if (toStdout && (opts.emit ?? []).length > 0)
    throw new UsageError('--emit writes files beside the output: give a file name with `-o`, not `-`');
  if (toStdout && process.stdout.isTTY)
    throw new UsageError(
      '`-o -` writes the file to standard output, which is a terminal here: redirect it, e.g. `-o - > deck.pptx`',
    );
  // A path that cannot be written (a device, a folder…) is a usage error before any work is done.
  if (opts.output !== undefined && !toStdout) {
    if (kind === 'images') folderTarget(opts.output);
    else outputTarget(opts.output);
  }
  await checkAudience(opts.audience, opts.template);
  const api = await import('../index.js');
  const base = {
    content: await contentDir(opts.content),
    template: opts.template ? resolve(opts.template) : null,
    lang,
    audience: opts.audience,
    date,
    marking: opts.marking,
  };
  mark('cli: arguments, imports');
  const outcome =
    kind === 'deck'
      ? await api.buildDeck({ ...base, slides: count })
      : kind === 'handout'
        ? await api.buildHandout({ ...base, slides: count, notes: opts.notes })
        : kind === 'images'
          ? await api.buildSlideImages({ ...base, slides: count, format: opts.imageFormat ?? 'svg', width: opts.width })
          : await api.buildMemo({ ...base, pages: count });
  const warnings = outcome.diagnostics.filter((d) => d.severity === 'warning');
  const left = outcome.ok ? outcome.result.drops : [];
  if (!outcome.ok || (opts.strict && (warnings.length > 0 || left.length > 0))) {
    printDiagnostics(outcome.diagnostics, io, opts.quiet);
    if (outcome.ok) {
      const length = kind !== 'memo' ? `${count} slides` : `${count} page${count === 1 ? '' : 's'}`;
      const why = [
        warnings.length > 0 ? `${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : '',
        left.length > 0 ? `${left.length} item${left.length === 1 ? '' : 's'} left out` : '',
      ]
        .filter(Boolean)
        .join(' and ');
      if (left.length > 0) io.err(summarizeDrops(left, length).replace(/^note: /, ''));
      io.err(`error: ${why} with --strict; nothing written (\`--json\` lists what was left out and why)`);
    }
    if (opts.json) io.out(safeJson({ ok: false, diagnostics: outcome.diagnostics }));
    return EXIT.content;
  }
  const { result } = outcome;
  const meta = result.build.plan.meta;
  const output = toStdout ? '-' : resolve(opts.output ?? join('out', defaultName(meta, kind, count, opts)));
  /** What the run writes: one file, or (pictures of slides) a folder of them. */
  const images = 'files' in result ? result.files : null;
  const bytes = images
    ? images.reduce((n, f) => n + f.bytes.length, 0)
    : (result as { bytes: Uint8Array }).bytes.length;
  let stale: string[] = [];
  if (toStdout) {
    if (!(await writeStdout((result as { bytes: Uint8Array }).bytes))) return EXIT.content;
  } else {
    // Stage outputs go beside the file, or, for a folder of pictures, into it, named `deck.*`.
    const stem = images ? join(output, 'deck') : output.replace(/\.(pptx|pdf)$/i, '');
    const files: OutputFile[] = images
      ? images.map((f) => ({ path: join(output, f.name), data: f.bytes }))
      : [{ path: output, data: (result as { bytes: Uint8Array }).bytes }];
    for (const stage of opts.emit ?? []) {
      if (stage === 'markdown') files.push({ path: `${stem}.briefing.md`, data: result.build.markdown });
      if (stage === 'document')
        files.push({ path: `${stem}.document.json`, data: `${JSON.stringify(result.build.document, null, 2)}\n` });
      if (stage === 'layout')
        files.push({ path: `${stem}.layout.json`, data: `${JSON.stringify(result.build.layout, null, 2)}\n` });
    }
    // Never over a file the run read (`-o pack/pack.yaml` would destroy the pack), nor where it
    // reads every file (a PPTX in `modules/` would be read as a module next time).
    for (const f of files) {
      const why = inputClash(realOutputPath(f.path), result);
      if (why) throw new UsageError(`\`${printable(display(f.path), 200)}\` ${why}; write the output somewhere else`);
    }
    // All files, or none (a failure names the file it could not write).
    if (images)
      stale = writeFolderAtomic(
        output,
        files.map((f) => ({ name: relative(output, f.path), data: f.data })),
        /^slide-\d+\.(svg|png)$/,
      );
    else writeAtomic(files);
  }
  mark('write');
  const seconds = (performance.now() - started) / 1000;
  printDiagnostics(outcome.diagnostics, io, opts.quiet);
  const length = kind !== 'memo' ? `${count} slides` : `${count} page${count === 1 ? '' : 's'}`;
  const drops = result.drops;
  if (opts.json) {
    const fit = 'slides' in result.build.layout ? result.build.layout.fit : result.build.layout.fit;
    io.out(
      safeJson({
        ok: true,
        file: display(output),
        format: kind === 'deck' ? 'pptx' : kind === 'images' ? opts.imageFormat : 'pdf',
        length: count,
        ...(kind === 'handout' ? { pages: count, notes: Boolean(opts.notes) } : {}),
        ...(images
          ? {
              files: images.map((f) => display(join(output, f.name))),
              ...(kind === 'images' && opts.imageFormat === 'png' ? { width: opts.width } : {}),
            }
          : {}),
        bytes,
        seconds: round(seconds),
        dropped: drops.map(dropJson),
        fit,
        diagnostics: outcome.diagnostics,
      }),
    );
  } else if (!opts.quiet) {
    // With `-o -` the file is on stdout, so the summary goes to stderr.
    (toStdout ? io.err : io.out)(
      `${toStdout ? '(standard output)' : printable(display(output) + (images ? '/' : ''), 500)}  ${length}  ${images ? `${images.length} files, ` : ''}${formatBytes(bytes)}  ${seconds.toFixed(2)} s`,
    );
    if (drops.length > 0) io.err(summarizeDrops(drops, length));
  }
  if (stale.length > 0 && !opts.quiet)
    io.err(
      `note: \`${printable(display(output), 200)}\` also holds ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ` and ${stale.length - 3} more` : ''} from an earlier run, left as they were`,
    );
  return EXIT.ok;
}

/**
 * An output's name when `-o` does not give one: `<pack>-<audience>-<lang>-` and `10slides.pptx`,
 * `10slides-notes.pdf`, `10slides-svg` (a folder) or `1page.pdf`.
 */
function defaultName(
  meta: { packId: string; audience: string; lang: string },
  kind: 'deck' | 'handout' | 'memo' | 'images',
  count: number,
  opts: { notes?: boolean; imageFormat?: 'svg' | 'png' },
): string {
  const unit =
    kind === 'deck'
      ? `${count}slides.pptx`
      : kind === 'handout'
        ? `${count}slides${opts.notes ? '-notes' : ''}.pdf`
        : kind === 'images'
          ? `${count}slides-${opts.imageFormat}`
          : `${count}page.pdf`;
  return `${meta.packId}-${meta.audience}-${meta.lang}-${unit}`;
}

/**
 * `-o` for slides as pictures names a folder: not standard output (there are several files), and
 * not a name that reads as one file (`-o deck.svg`), which would become a folder of that name.
 */
function imagesFolderOption(output: string | undefined, format: 'svg' | 'png'): void {
  if (output === '-')
    throw new UsageError(
      `--format ${format} writes one file per slide, which standard output cannot hold: give a folder with \`-o\`, not \`-\``,
    );
  if (output !== undefined && /\.(svg|png|pptx|pdf|jpe?g)$/i.test(output))
    throw new UsageError(
      `--format ${format} writes one file per slide into a folder: \`-o\` names the folder (e.g. \`-o ${printable(output.replace(/\.[^./]+$/, ''), 200)}\`), which gets slide-01.${format}, slide-02.${format}…`,
    );
}

/** Puts back an empty folder a failed `init` had removed to rename its copy into place. */
function quietMkdir(dir: string): void {
  try {
    mkdirSync(dir);
  } catch {
    // Still there, or cannot be made: nothing more to undo.
  }
}

/** Writes bytes to standard output, waiting until they are taken (a pipe may be slow). */
function writeStdout(bytes: Uint8Array): Promise<boolean> {
  // A failure is reported by the stream's error handler (watchStandardStreams), once.
  return new Promise((done) => {
    process.stdout.write(bytes, (e) => done(!e));
  });
}

function dropJson(d: {
  ref: string;
  kind: string;
  priority: number;
  reason: string;
  slide: number | null;
  text: string;
}) {
  return { ref: d.ref, kind: d.kind, priority: d.priority, reason: d.reason, slide: d.slide, text: d.text };
}

function summarizeDrops(drops: readonly { kind: string; priority: number }[], length: string): string {
  const byKind = new Map<string, number>();
  for (const d of drops) byKind.set(d.kind, (byKind.get(d.kind) ?? 0) + 1);
  const names: Record<string, [string, string]> = {
    point: ['point', 'points'],
    recommendation: ['recommendation', 'recommendations'],
    fact: ['figure', 'figures'],
    quote: ['quote', 'quotes'],
    summary: ['module summary', 'module summaries'],
    module: ['module', 'modules'],
  };
  const parts = [...byKind].map(([k, n]) => `${n} ${(names[k] ?? [k, `${k}s`])[n === 1 ? 0 : 1]}`);
  return `note: ${drops.length} item${drops.length === 1 ? '' : 's'} did not fit in ${length} and ${drops.length === 1 ? 'was' : 'were'} left out, lowest priority first (${parts.join(', ')}); \`--json\` lists them`;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

interface CheckOptions {
  content?: string;
  template?: string;
  audience: string;
  strict?: boolean;
  quiet?: boolean;
  trace?: boolean;
  sourceText?: string[];
  lang?: string;
}

/** `--trace`: each claim, its source and locator, and the paragraphs the locator names. */
async function printTrace(pack: ContentPack, opts: CheckOptions, io: Printer): Promise<void> {
  const { traceClaims, paragraphsOf, paragraphNumbers } = await import('../trace-claims.js');
  const texts = new Map<string, string[]>();
  for (const entry of opts.sourceText ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new UsageError(`--source-text takes \`<source id>=<file>\`, got \`${printable(entry)}\``);
    const [id, file] = [entry.slice(0, eq), entry.slice(eq + 1)];
    if (!pack.sources.some((s) => s.id === id))
      throw new UsageError(
        `--source-text names \`${printable(id)}\`, which is not a source of the pack; its sources are ${pack.sources.map((s) => `\`${s.id}\``).join(', ')}`,
      );
    let text: string;
    try {
      text = readFileSync(resolve(file), 'utf8');
    } catch (e) {
      throw new UsageError(
        `cannot read \`${printable(file)}\` for --source-text: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`,
      );
    }
    texts.set(id, paragraphsOf(text));
  }
  const lang = opts.lang ? await parseLangOption(opts.lang) : (pack.languages[0] ?? 'en');
  const claims = traceClaims(pack, lang);
  let located = 0;
  for (const c of claims) {
    if (c.at) located++;
    const where = c.via ? `${c.source} (read in ${c.via})` : (c.source ?? 'no source');
    io.out(`${display(c.span.file)}:${c.span.line}:${c.span.col}  ${c.kind}  ${where}  ${c.at ?? 'no locator'}`);
    io.out(`  ${escapeControls(c.text)}`);
    const paragraphs = (c.via ? texts.get(c.via) : undefined) ?? (c.source ? texts.get(c.source) : undefined);
    if (paragraphs && c.at)
      for (const n of paragraphNumbers(c.at)) {
        const p = paragraphs[n - 1];
        io.out(
          `    ¶${n}  ${p === undefined ? `(the text has ${paragraphs.length} paragraphs)` : escapeControls(p.length > 400 ? `${p.slice(0, 400)}…` : p)}`,
        );
      }
  }
  io.out(`${claims.length} claims; ${located} with a locator, ${claims.length - located} without`);
}

async function runCheck(opts: CheckOptions, io: Printer): Promise<number> {
  await checkAudience(opts.audience, opts.template);
  const content = await contentDir(opts.content);
  const { checkPackFolder } = await import('../index.js');
  // Every file is read and validated once, for all the languages the pack has.
  const loaded = await checkPackFolder({
    content,
    template: opts.template ? resolve(opts.template) : null,
    audience: opts.audience,
    display,
  });
  const { diagnostics, languages } = loaded;
  printDiagnostics(diagnostics, io, opts.quiet);
  if (opts.trace && loaded.pack) await printTrace(loaded.pack, opts, io);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  if (errors > 0 || (opts.strict && warnings > 0)) {
    io.err(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
    return EXIT.content;
  }
  if (!opts.quiet && loaded.pack) {
    const p = loaded.pack;
    const points = p.modules.reduce((n, m) => n + m.points.length, 0);
    io.out(
      `ok: pack \`${p.id}\`: ${p.modules.length} modules, ${points} points, ${p.sources.length} sources; checked ${languages.join(', ')}${warnings ? `; ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`,
    );
  }
  return EXIT.ok;
}

interface PreviewCliOptions {
  content?: string;
  template?: string;
  lang: string;
  audience: string;
  port: string;
  open?: boolean;
  date?: string;
  marking?: string;
}

/** The port `briefing preview` listens on unless told (the next free one if it is taken). */
const PREVIEW_PORT = 4177;

/** `briefing preview`: serves the page until Ctrl-C (or SIGTERM), then closes and exits 0. */
async function runPreview(opts: PreviewCliOptions, io: Printer): Promise<number> {
  const lang = await parseLangOption(opts.lang);
  const port = opts.port === '0' ? 0 : integer(opts.port, '--port', 1, 65535);
  await checkAudience(opts.audience, opts.template);
  const { BUILTIN_TEMPLATES } = await import('../paths.js');
  const { loadAudiences } = await import('../load/load-templates.js');
  const { startPreview } = await import('../preview/server.js');
  const { endOnSignal } = await import('./interrupt.js');
  const template = opts.template ? resolve(opts.template) : null;
  const dirs = template ? [template, BUILTIN_TEMPLATES] : [BUILTIN_TEMPLATES];
  // The built-in audiences in their usual order (the most senior first), then a template's own.
  const rank = (id: string) => (AUDIENCES as readonly string[]).indexOf(id) + 1 || 99;
  const audiences = loadAudiences(dirs, display, [])
    .map((a) => ({ id: a.id, label: a.label }))
    .sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
  const content = await contentDir(opts.content);
  // The folder it watches must be there to watch: a wrong path is said now, not on the page.
  if (!(await import('../load/confined.js')).realFolder(content))
    throw new UsageError(
      `content pack folder \`${printable(opts.content ?? content)}\` does not exist or is not a folder`,
    );
  const date = dateOption(opts.date) ?? dateFromEnvironment();
  const api = await import('../index.js');
  let preview: Awaited<ReturnType<typeof startPreview>>;
  try {
    preview = await startPreview({
      content,
      template,
      label: display(content),
      date,
      marking: opts.marking,
      port,
      fallback: opts.port === String(PREVIEW_PORT),
      audiences,
      initial: { output: 'deck', audience: opts.audience, lang, length: 10 },
      download: async (r) => {
        const base = { content, template, lang: r.lang, audience: r.audience, date, marking: opts.marking };
        const outcome =
          r.output === 'deck'
            ? await api.buildDeck({ ...base, slides: r.length })
            : r.output === 'handout'
              ? await api.buildHandout({ ...base, slides: r.length, notes: true })
              : await api.buildMemo({ ...base, pages: r.length });
        if (!outcome.ok) return { ok: false, diagnostics: outcome.diagnostics };
        return {
          ok: true,
          bytes: outcome.result.bytes,
          name: defaultName(outcome.result.build.plan.meta, r.output, r.length, { notes: true }),
          type:
            r.output === 'deck'
              ? 'application/vnd.openxmlformats-officedocument.presentationml.presentation'
              : 'application/pdf',
        };
      },
      log: (line) => io.err(escapeControls(line)),
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE')
      throw new UsageError(
        `port ${port} is in use: choose another with \`--port N\`, or \`--port 0\` for any free one`,
      );
    if (err.code === 'EACCES') throw new UsageError(`port ${port} cannot be used here: choose one above 1023`);
    throw e;
  }
  io.out(`briefing preview: ${preview.url}`);
  io.err(`watching ${display(content)}${template ? ` and ${display(template)}` : ''}; Ctrl-C to stop`);
  if (opts.open) openInBrowser(preview.url, io);
  await new Promise<void>((done) => {
    endOnSignal(async () => {
      await preview.close();
      io.err('briefing preview: stopped');
      done();
    });
  });
  return EXIT.ok;
}

/** Opens a URL with the desktop's own opener; without one, says so (the URL is printed already). */
function openInBrowser(url: string, io: Printer): void {
  void import('node:child_process').then(({ spawn }) => {
    const [cmd, args] =
      process.platform === 'darwin'
        ? ['open', [url]]
        : process.platform === 'win32'
          ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
          : ['xdg-open', [url]];
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => io.err(`could not open a browser (${cmd}); open ${url} yourself`));
    child.unref();
  });
}

async function runList(what: string, opts: { content?: string; template?: string }, io: Printer): Promise<number> {
  const { BUILTIN_TEMPLATES } = await import('../paths.js');
  templateFolder(opts.template, (await import('../load/confined.js')).realFolder);
  if (what === 'audiences') {
    const { loadAudiences } = await import('../load/load-templates.js');
    const dirs = opts.template ? [resolve(opts.template), BUILTIN_TEMPLATES] : [BUILTIN_TEMPLATES];
    const diagnostics: Diagnostic[] = [];
    const audiences = loadAudiences(dirs, display, diagnostics);
    printDiagnostics(diagnostics, io);
    const width = Math.max(...audiences.map((a) => a.id.length));
    // Descriptions and file names come from template folders: shown with their controls escaped.
    for (const a of audiences)
      io.out(
        `${a.id.padEnd(width)}  ${printable(a.description.en ?? a.description['*'] ?? Object.values(a.description)[0] ?? '', 200)}${a.file.startsWith(display(BUILTIN_TEMPLATES)) ? '' : `  (${printable(a.file, 300)})`}`,
      );
    return diagnostics.some((d) => d.severity === 'error') ? EXIT.content : EXIT.ok;
  }
  if (what === 'languages' || what === 'modules') {
    const { loadPack } = await import('../load/load-pack.js');
    const { pack, diagnostics } = loadPack(await contentDir(opts.content), { display });
    if (!pack) {
      printDiagnostics(diagnostics, io);
      return EXIT.content;
    }
    if (what === 'languages') {
      const { languageSource } = await import('../localize/localize-pack.js');
      for (const l of LANGS) {
        const source = languageSource(pack, l);
        io.out(
          `${l.padEnd(8)} ${source === 'authored' ? 'authored' : source === 'derived' ? 'derived from zh-Hant' : 'not in this pack'}`,
        );
      }
    } else {
      const width = Math.max(...pack.modules.map((m) => m.id.length));
      for (const m of pack.modules) {
        const title = m.title.any ?? m.title.byLang.en?.text ?? Object.values(m.title.byLang)[0]?.text ?? '';
        io.out(`${m.id.padEnd(width)}  ${String(m.points.length).padStart(2)} points  ${printable(title, 200)}`);
      }
    }
    return EXIT.ok;
  }
  throw new UsageError(`cannot list \`${printable(what)}\`; choose audiences, languages or modules`);
}

/**
 * Copies the built-in templates into a new folder. The copy is made in a temporary folder beside
 * the target and renamed into place when complete, so a full or read-only disk leaves nothing.
 */
async function runInit(dir: string, io: Printer, from?: string, full = false, keepReference = true): Promise<number> {
  const { cpSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync } = await import('node:fs');
  const { randomBytes } = await import('node:crypto');
  const { BUILTIN_TEMPLATES } = await import('../paths.js');
  const target = resolve(dir);
  const shown = printable(dir);
  let empty = false;
  try {
    const s = lstatSync(target);
    if (!s.isDirectory()) throw new UsageError(`\`${shown}\` exists and is not a folder; choose a new folder`);
    if (readdirSync(target).length > 0)
      throw new UsageError(`\`${shown}\` exists and is not empty; choose a new folder`);
    empty = true;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new UsageError(`\`${shown}\` is inside something that is not a folder`);
    if (code !== 'ENOENT') throw new OutputError(`cannot create \`${shown}\`: ${(e as Error).message}`);
  }
  const staging = join(
    dirname(target),
    `.${[...basename(target)].slice(0, 24).join('')}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  // An organisation's template is read (and refused, if it is not one) before anything is written.
  let imported: import('../import-office.js').ImportedTemplate | null = null;
  if (from !== undefined) {
    const { importOfficeTemplate, ImportError } = await import('../import-office.js');
    let bytes: Uint8Array;
    try {
      const { statSync } = await import('node:fs');
      const s = statSync(resolve(from));
      if (!s.isFile()) throw new UsageError(`\`${printable(from)}\` is not a file: give a .potx or .pptx with --from`);
      if (s.size > 200 * 1024 * 1024)
        throw new UsageError(`\`${printable(from)}\` is larger than 200 MB: not a template`);
      bytes = readFileSync(resolve(from));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(
        `cannot read \`${printable(from)}\` for --from: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`,
      );
    }
    try {
      imported = importOfficeTemplate(bytes, basename(from));
    } catch (e) {
      if (e instanceof ImportError) throw new UsageError(e.message);
      throw e;
    }
    // The file itself, kept as the deck's reference when its masters can carry a deck.
    if (keepReference) {
      const { readReference, BadReference } = await import('../load/reference.js');
      const ext = /\.pptx$/i.test(from) ? 'pptx' : 'potx';
      const name = /^[\w .()-]{1,80}\.(?:potx|pptx)$/i.test(basename(from)) ? basename(from) : `template.${ext}`;
      try {
        const layout = readReference(bytes, name);
        imported = {
          ...imported,
          themeYaml: `${imported.themeYaml}\n# The template itself: the deck is built on its slide masters and layouts (${layout.content.name} for\n# content, ${layout.cover.name} for the cover), so its logo, bars and title position are the house's and slides\n# added later in PowerPoint are on brand. Without this line the built-in masters are drawn in these colours.\nreference: ${JSON.stringify(name)}\n`,
          files: [...imported.files, { name, bytes }],
        };
      } catch (e) {
        if (!(e instanceof BadReference)) throw e;
        imported = {
          ...imported,
          notes: [...imported.notes, `the file is not kept as the deck's reference: it ${e.message} (${e.hint})`],
        };
      }
    }
  }
  let made: string | undefined;
  try {
    made = mkdirSync(dirname(target), { recursive: true });
    if (imported) {
      const { writeFileSync } = await import('node:fs');
      mkdirSync(staging);
      writeFileSync(join(staging, 'theme.yaml'), imported.themeYaml, { flag: 'wx' });
      for (const f of imported.files) writeFileSync(join(staging, f.name), f.bytes, { flag: 'wx' });
    } else if (full) cpSync(BUILTIN_TEMPLATES, staging, { recursive: true, errorOnExist: true, force: false });
    else {
      // The few files a brand needs first: the colours, and one example of an override.
      const { writeFileSync } = await import('node:fs');
      const { starterTheme, STARTER_STRINGS } = await import('../starter-template.js');
      const builtinTheme = readFileSync(join(BUILTIN_TEMPLATES, 'theme.yaml'), 'utf8');
      mkdirSync(join(staging, 'strings'), { recursive: true });
      writeFileSync(join(staging, 'theme.yaml'), starterTheme(builtinTheme), { flag: 'wx' });
      writeFileSync(join(staging, 'strings', 'en.yaml'), STARTER_STRINGS, { flag: 'wx' });
    }
    if (empty) rmdirSync(target);
    renameSync(staging, target);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    // Folders made for the copy go too: a failed init leaves nothing.
    if (made) rmSync(made, { recursive: true, force: true });
    if (empty) quietMkdir(target);
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOSPC'
        ? 'the disk is full'
        : code === 'EROFS'
          ? 'the file system is read-only'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : (e as Error).message;
    throw new OutputError(`cannot create \`${shown}\`: ${why}; nothing was written`);
  }
  if (imported) {
    const c = imported.colors;
    io.out(
      `imported ${printable(from ?? '', 200)} into ${printable(display(target), 500)}: colours ${c.primary}/${c.accent}/${c.ink}, fonts ${imported.fonts.heading}/${imported.fonts.body}${imported.size ? `, slides ${imported.size.width}×${imported.size.height} pt` : ''}${imported.files.length > 0 ? `, ${imported.files.map((f) => f.name).join(', ')}` : ''}; use it with \`--template ${shown}\`, and check it with \`briefing check --template ${shown}\``,
    );
    for (const note of imported.notes) io.out(`note: ${note}`);
    return EXIT.ok;
  }
  io.out(
    full
      ? `wrote the built-in templates to ${printable(display(target), 500)}; use them with \`--template ${shown}\``
      : `wrote theme.yaml and strings/en.yaml to ${printable(display(target), 500)}: edit them and build with \`--template ${shown}\`; everything else is the built-in templates (\`init --full\` copies all of them)`,
  );
  return EXIT.ok;
}
