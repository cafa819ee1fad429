// The preview page: asks the local server for a view (SVG pages, diagnostics, fit, what was left
// out), shows it, and asks again when the server says a file changed. Text from the pack is only
// ever set as text; the SVG comes from briefing's own renderer, which escapes what it draws.

const $ = (id) => document.getElementById(id);
const LANG_NAMES = { en: 'English', 'zh-Hant': '繁體中文', 'zh-Hans': '简体中文' };
const DEFAULT_LENGTH = { deck: 10, memo: 1, handout: 10 };

const state = {
  output: 'deck',
  audience: 'policymaker',
  lang: 'en',
  length: { ...DEFAULT_LENGTH },
  grid: '',
  page: 1,
};
let meta = null;
let audienceLabels = {};
const loadedFonts = new Set();
let inFlight = null;
let again = false;
let lastChange = null;

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('data-') || k.startsWith('aria-')) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) if (c != null) node.append(c);
  return node;
}

/** The lengths the server takes for an output: slides, or a memo's pages. */
function limitsOf(output) {
  return output === 'memo' ? meta.limits.pages : meta.limits.slides;
}

function query(extra) {
  const q = new URLSearchParams({
    output: state.output,
    audience: state.audience,
    lang: state.lang,
    length: String(state.length[state.output]),
    ...extra,
  });
  return q.toString();
}

/** The state in the address bar, so a reload (or a bookmark) shows the same view. */
function remember() {
  const q = new URLSearchParams(query(state.grid ? { grid: state.grid, page: String(state.page) } : {}));
  history.replaceState(null, '', `?${q}`);
}

function restore() {
  const q = new URLSearchParams(location.search);
  if (['deck', 'memo', 'handout'].includes(q.get('output'))) state.output = q.get('output');
  if (q.get('audience')) state.audience = q.get('audience');
  if (q.get('lang')) state.lang = q.get('lang');
  const n = Number(q.get('length'));
  if (Number.isInteger(n) && n > 0) state.length[state.output] = n;
  if (['audience', 'lang'].includes(q.get('grid'))) state.grid = q.get('grid');
  const p = Number(q.get('page'));
  if (Number.isInteger(p) && p > 0) state.page = p;
}

async function ensureFonts(fonts) {
  const waiting = [];
  for (const f of fonts) {
    if (loadedFonts.has(f.family)) continue;
    loadedFonts.add(f.family);
    const face = new FontFace(f.family, `url(${f.url})`);
    document.fonts.add(face);
    waiting.push(face.load().catch(() => {}));
  }
  await Promise.all(waiting);
}

function syncControls() {
  $('output').value = state.output;
  $('audience').value = state.audience;
  $('lang').value = state.lang;
  const { min, max } = limitsOf(state.output);
  const len = $('length');
  len.min = String(min);
  len.max = String(max);
  len.value = String(state.length[state.output]);
  $('length-label').textContent = state.output === 'memo' ? 'Pages' : 'Slides';
  $('grid').value = state.grid;
  // In compare mode the compared control chooses nothing.
  $('audience').disabled = state.grid === 'audience';
  $('lang').disabled = state.grid === 'lang';
  $('grid-page-label').hidden = !state.grid;
  $('grid-page-unit').textContent = state.output === 'deck' ? 'Slide' : 'Page';
  $('grid-page').value = String(state.page);
  document.body.dataset.output = state.output;
  if (state.grid) document.body.dataset.grid = state.grid;
  else delete document.body.dataset.grid;
  for (const kind of ['deck', 'memo', 'handout']) {
    const q = new URLSearchParams(query());
    q.set(
      'length',
      String(
        kind === state.output ? state.length[state.output] : kind === 'memo' ? state.length.memo : state.length.deck,
      ),
    );
    $(`dl-${kind}`).href = `/download/${kind}?${q}`;
  }
}

/** Asks for the view the controls describe; one request at a time, the latest wins. */
function refresh() {
  if (inFlight) {
    again = true;
    return inFlight;
  }
  inFlight = (async () => {
    try {
      do {
        again = false;
        remember();
        syncControls();
        if (state.grid) await showGrid();
        else await showView();
      } while (again);
    } catch (e) {
      setStatus(`The preview server did not answer (${e.message}). Is it still running?`, 'error');
    } finally {
      inFlight = null;
    }
  })();
  return inFlight;
}

async function fetchJson(url) {
  const res = await fetch(url, { cache: 'no-store' });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ?? res.statusText);
  return body;
}

async function showView() {
  const asked = query();
  const view = await fetchJson(`/api/view?${asked}`);
  if (asked !== query()) {
    again = true;
    return;
  }
  const main = $('pages');
  if (view.pages.length > 0) {
    await ensureFonts(view.fonts);
    showPages(view);
  } else {
    main.replaceChildren(
      el('p', {
        class: 'nothing',
        text: 'This view has not built yet: the problems are in the panel. Fix them and save.',
      }),
    );
    main.dataset.kind = 'nothing';
  }
  main.classList.toggle('stale', Boolean(view.stale));
  $('doc-title').textContent = view.title ?? '';
  showReport(view);
  document.body.dataset.state = view.ok ? 'ok' : 'error';
  document.body.dataset.generation = String(view.generation);
  // How long the save took to reach the screen: measured once, for the first view built after it.
  const since = lastChange && lastChange.generation === view.generation ? Date.now() - lastChange.changedAt : null;
  if (since !== null) {
    lastChange = null;
    document.body.dataset.updatedMs = String(since);
  }
  const unit = state.output === 'memo' ? 'page' : state.output === 'handout' ? 'page' : 'slide';
  if (view.ok)
    setStatus(
      `${view.pages.length} ${unit}${view.pages.length === 1 ? '' : 's'} · built in ${view.took} ms${since === null ? '' : ` · on screen ${since} ms after the save`}`,
      'ok',
    );
  else if (view.stale)
    setStatus(
      'The last change does not build: the problems are below. The pages, dimmed, are from before it.',
      'error',
    );
  else setStatus('This view does not build: the problems are below.', 'error');
}

function showPages(view) {
  const main = $('pages');
  if (main.dataset.kind !== `${view.request.output}:single`) {
    main.replaceChildren();
    main.dataset.kind = `${view.request.output}:single`;
  }
  const ratio = `${view.width} / ${view.height}`;
  view.pages.forEach((page, i) => {
    let section = main.children[i];
    if (!section) {
      section = el('section', { class: 'page' });
      section.append(el('header'), el('div', { class: 'sheet' }));
      main.append(section);
    }
    section.dataset.number = String(page.number);
    section.id = `page-${page.number}`;
    const label = view.request.output === 'deck' ? `Slide ${page.number}` : `Page ${page.number}`;
    section.querySelector('header').replaceChildren(el('span', { text: label }));
    const sheet = section.querySelector('.sheet');
    sheet.style.aspectRatio = ratio;
    if (sheet.dataset.svg !== page.svg) {
      sheet.innerHTML = page.svg;
      sheet.dataset.svg = page.svg;
    }
    let notes = section.querySelector('.notes');
    if (page.notes && page.notes.length > 0) {
      if (!notes) {
        notes = el('div', { class: 'notes' });
        section.append(notes);
      }
      notes.replaceChildren(el('h3', { text: 'Speaker notes' }), ...page.notes.map((p) => el('p', { text: p })));
    } else if (notes) notes.remove();
  });
  while (main.children.length > view.pages.length) main.lastElementChild.remove();
}

async function showGrid() {
  const asked = query({ by: state.grid, page: String(state.page) });
  const grid = await fetchJson(`/api/grid?${asked}`);
  if (asked !== query({ by: state.grid, page: String(state.page) })) {
    again = true;
    return;
  }
  await ensureFonts(grid.columns.flatMap((c) => c.fonts));
  const main = $('pages');
  main.replaceChildren();
  main.dataset.kind = 'grid';
  for (const c of grid.columns) {
    const label =
      grid.by === 'lang'
        ? (LANG_NAMES[c.request.lang] ?? c.request.lang)
        : (audienceLabels[c.request.audience] ?? c.request.audience);
    const section = el('section', {
      class: 'page',
      'data-variant': grid.by === 'lang' ? c.request.lang : c.request.audience,
    });
    const counts = [
      c.errors ? `${c.errors} error${c.errors === 1 ? '' : 's'}` : '',
      c.warnings ? `${c.warnings} warning${c.warnings === 1 ? '' : 's'}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    section.append(el('header', {}, el('strong', { text: label }), el('span', { text: counts || 'no problems' })));
    const sheet = el('div', { class: 'sheet' });
    if (c.page) {
      sheet.style.aspectRatio = `${c.width} / ${c.height}`;
      sheet.innerHTML = c.page.svg;
    } else {
      sheet.classList.add('missing');
      sheet.textContent = c.ok
        ? `No ${state.output === 'memo' ? 'page' : 'slide'} ${grid.page} (${c.pages} in all)`
        : 'Does not build: see the problems with Compare off';
    }
    section.append(sheet);
    // A card opens its build on its own, at full width, at the page compared.
    sheet.title = 'Open this build at this page';
    sheet.classList.add('opens');
    sheet.addEventListener('click', () => openBuild(c.request, grid.page));
    main.append(section);
  }
  document.body.dataset.state = grid.columns.every((c) => c.ok) ? 'ok' : 'error';
  document.body.dataset.generation = String(grid.generation);
  setStatus(
    `${grid.columns.length} ${grid.by === 'lang' ? 'languages' : 'audiences'} · ${state.output === 'memo' ? 'page' : 'slide'} ${grid.page}`,
    'ok',
  );
  // The panel compares the builds; a row opens that build on its own.
  const table = el('table', { class: 'fit compare' });
  table.append(
    el('caption', { text: 'Each build' }),
    el('tr', {}, ...['', 'Pages', 'Errors', 'Warnings', 'Left out'].map((h) => el('th', { text: h }))),
  );
  for (const c of grid.columns) {
    const label =
      grid.by === 'lang'
        ? (LANG_NAMES[c.request.lang] ?? c.request.lang)
        : (audienceLabels[c.request.audience] ?? c.request.audience);
    const tr = el(
      'tr',
      { class: `box${c.errors ? ' over' : ''}`, title: 'Show this build on its own' },
      el('td', { text: label }),
      el('td', { text: String(c.pages) }),
      el('td', { text: String(c.errors) }),
      el('td', { text: String(c.warnings) }),
      el('td', { text: String(c.dropped) }),
    );
    tr.addEventListener('click', () => openBuild(c.request, grid.page));
    table.append(tr);
  }
  $('problems').replaceChildren(
    el('li', {
      class: 'empty',
      text: 'Click a build in the table below to see its problems, fit and what it left out.',
    }),
  );
  $('problem-count').textContent = String(grid.columns.reduce((n, c) => n + c.errors + c.warnings, 0));
  $('dropped').replaceChildren();
  $('dropped-count').textContent = '';
  $('fit').replaceChildren(table);
}

/** Leaves compare mode for one build, scrolled to the page that was compared. */
async function openBuild(request, page) {
  state.grid = '';
  state.audience = request.audience;
  state.lang = request.lang;
  await refresh();
  $(`page-${page}`)?.scrollIntoView({ block: 'start' });
  window.scrollBy(0, -56);
}

function setStatus(text, kind) {
  const s = $('status');
  s.textContent = text;
  s.dataset.kind = kind;
}

function showReport(view) {
  const problems = view.diagnostics;
  $('problem-count').textContent = String(problems.length);
  $('problems').replaceChildren(
    ...(problems.length === 0 ? [el('li', { class: 'empty', text: 'No problems.' })] : groupedProblems(problems)),
  );
  $('dropped-count').textContent = String(view.drops.length);
  $('dropped').replaceChildren(
    ...(view.drops.length === 0
      ? [el('li', { class: 'empty', text: view.ok || view.stale ? 'Nothing was left out.' : '—' })]
      : view.drops.map((d) =>
          el(
            'li',
            {},
            el('div', { text: d.text }),
            el('div', {
              class: 'why',
              text: `${d.slide ? `slide ${d.slide} · ` : ''}${d.kind} · priority ${d.priority} · ${d.reason === 'overflow' ? 'did not fit its box at the smallest size' : 'no room at this length'}`,
            }),
            el('div', { class: 'where', text: d.where }),
          ),
        )),
  );
  if (view.ok || view.stale) {
    const legend = el(
      'p',
      { class: 'legend' },
      el('span', { class: 'key tight' }),
      ' at the theme’s smallest size ',
      el('span', { class: 'key over' }),
      ' does not fit',
      view.fit?.deck ? ' · hover a row to outline its box' : '',
    );
    const all = el(
      'label',
      { class: 'all-slides' },
      el('input', { type: 'checkbox', id: 'fit-all', checked: fitAll }),
      ' every slide',
    );
    $('fit').replaceChildren(legend, ...(view.fit?.deck ? [all] : []), ...fitTables(view));
    $('fit-all')?.addEventListener('change', (e) => {
      fitAll = e.target.checked;
      followSlide(true);
    });
    followSlide(true);
  } else $('fit').replaceChildren(el('p', { class: 'empty', text: 'Shown once the view builds.' }));
}

/**
 * A deck's fit report shows the slide being read (the one nearest the top of the window), unless
 * every slide is asked for.
 */
let fitAll = false;
let shownSlide = 0;
function followSlide(force) {
  const tables = document.querySelectorAll('#fit table.fit[data-slide]');
  if (tables.length === 0) return;
  const sections = [...document.querySelectorAll('#pages > section.page[data-number]')];
  const top = $('pages').getBoundingClientRect().top > 0 ? 0 : 100;
  const current = sections.find((sec) => sec.getBoundingClientRect().bottom > top + 140) ?? sections[0];
  const n = Number(current?.dataset.number ?? 1);
  if (!force && n === shownSlide) return;
  shownSlide = n;
  for (const t of tables) t.hidden = !fitAll && Number(t.dataset.slide) !== n;
}
let following = false;
window.addEventListener(
  'scroll',
  () => {
    if (following) return;
    following = true;
    requestAnimationFrame(() => {
      following = false;
      followSlide(false);
    });
  },
  { passive: true },
);

/**
 * Problems in the panel. One broken line of YAML often makes the parser report the lines after
 * it too: those follow the first, folded, as it is the one to fix.
 */
function groupedProblems(problems) {
  const items = [];
  let head = null;
  let followers = [];
  const fileOf = (d) => d.where?.replace(/:\d+:\d+$/, '');
  const flush = () => {
    if (!head) return;
    const li = problemItem(head);
    if (followers.length > 0) {
      const more = el('details', { class: 'more' });
      more.append(
        el('summary', { text: `${followers.length} more in this file, likely caused by this one` }),
        el('ol', { class: 'problems' }, ...followers.map(problemItem)),
      );
      li.append(more);
    }
    items.push(li);
    head = null;
    followers = [];
  };
  for (const d of problems) {
    if (head && d.code === 'yaml-syntax' && head.code === 'yaml-syntax' && fileOf(d) === fileOf(head))
      followers.push(d);
    else {
      flush();
      head = d;
    }
  }
  flush();
  return items;
}

function problemItem(d) {
  const li = el('li', { class: `problem ${d.severity}` });
  li.append(el('div', {}, el('span', { class: 'sev', text: d.severity }), ' ', el('code', { text: d.code })));
  if (d.where) li.append(el('div', { class: 'where', text: d.where }));
  li.append(el('div', { class: 'message', text: d.message }));
  if (d.context) {
    const pre = el('pre', { class: 'context' });
    d.context.lines.forEach((line, i) => {
      const n = d.context.first + i;
      const gutter = String(n).padStart(4);
      pre.append(el('span', { class: n === d.context.line ? 'at' : '', text: `${gutter} │ ${line}` }));
      if (n === d.context.line)
        pre.append(
          el('span', { class: 'caret', text: `${' '.repeat(4)} │ ${' '.repeat(Math.max(0, d.context.col - 1))}^` }),
        );
    });
    li.append(pre);
  }
  for (const h of d.hints) li.append(el('p', { class: 'hint', text: `hint: ${h}` }));
  return li;
}

function fitTables(view) {
  const round = (n) => (Math.round(n * 10) / 10).toString();
  if (view.fit?.deck) {
    return view.fit.deck.map(({ slide, boxes }) => {
      const table = el('table', { class: 'fit', 'data-slide': String(slide) });
      table.append(el('caption', { text: `Slide ${slide}` }));
      table.append(el('tr', {}, ...['Box', 'Size', 'Lines', 'Free'].map((h) => el('th', { text: h }))));
      for (const b of boxes) {
        const tr = el('tr', {
          class: `box${b.overflow ? ' over' : b.size <= b.minSize ? ' tight' : ''}`,
          title: `${b.box}: set at ${b.size} pt (allowed ${b.minSize}–${b.maxSize}); ${b.linesUsed} of ${b.linesAvailable} lines; ${round(b.slack)} pt free`,
        });
        tr.append(
          el('td', { text: b.box }),
          el('td', { text: `${round(b.size)} pt` }),
          el('td', { text: `${b.linesUsed}/${b.linesAvailable}` }),
          el('td', { text: `${round(b.slack)} pt` }),
        );
        if (b.rect) {
          tr.addEventListener('mouseenter', () => outline(slide, b.rect));
          tr.addEventListener('mouseleave', () => outline(slide, null));
          tr.addEventListener('click', () =>
            $(`page-${slide}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' }),
          );
        }
        table.append(tr);
      }
      return table;
    });
  }
  if (view.fit?.memo) {
    const m = view.fit.memo;
    const pages = el('table', { class: 'fit' });
    pages.append(
      el('caption', { text: `Body ${m.bodySize} pt · last page ${Math.round(m.lastPageFill * 100)}% full` }),
    );
    pages.append(el('tr', {}, ...['Page', 'Used', 'Free', 'Spare lines'].map((h) => el('th', { text: h }))));
    for (const p of m.pageFits)
      pages.append(
        el(
          'tr',
          {},
          el('td', { text: String(p.page) }),
          el('td', { text: `${round(p.used)} / ${round(p.available)} pt` }),
          el('td', { text: `${round(p.slack)} pt` }),
          el('td', { text: String(p.spareLines) }),
        ),
      );
    const boxes = el('table', { class: 'fit' });
    boxes.append(el('caption', { text: 'Blocks' }));
    boxes.append(el('tr', {}, ...['Block', 'Page', 'Size', 'Lines'].map((h) => el('th', { text: h }))));
    for (const b of m.boxes)
      boxes.append(
        el(
          'tr',
          {},
          el('td', { text: b.box }),
          el('td', { text: b.pages > 1 ? `${b.page}–${b.page + b.pages - 1}` : String(b.page) }),
          el('td', { text: `${round(b.size)} pt` }),
          el('td', { text: String(b.linesUsed) }),
        ),
      );
    return [pages, boxes];
  }
  return [el('p', { class: 'empty', text: 'No fit report for this output.' })];
}

/** Outlines a box on a slide (or clears it), in the slide's own coordinates. */
function outline(slide, rect) {
  const svg = document.querySelector(`#page-${slide} .sheet svg`);
  if (!svg) return;
  for (const old of svg.querySelectorAll('.fit-outline')) old.remove();
  if (!rect) return;
  const r = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  r.setAttribute('class', 'fit-outline');
  for (const [k, v] of Object.entries({ x: rect.x, y: rect.y, width: rect.w, height: rect.h }))
    r.setAttribute(k, String(v));
  svg.append(r);
}

function onControl(event) {
  const t = event.target;
  if (t.id === 'output') {
    state.output = t.value;
    if (state.output === 'memo' && state.grid) state.page = 1;
    $('pages').replaceChildren();
    window.scrollTo(0, 0);
  } else if (t.id === 'audience') state.audience = t.value;
  else if (t.id === 'lang') state.lang = t.value;
  else if (t.id === 'length') {
    const n = Number(t.value);
    const { min, max } = limitsOf(state.output);
    if (!Number.isInteger(n) || n < min || n > max) return;
    state.length[state.output] = n;
  } else if (t.id === 'grid') state.grid = t.value;
  else if (t.id === 'grid-page') {
    const n = Number(t.value);
    if (!Number.isInteger(n) || n < 1) return;
    state.page = n;
  }
  refresh();
}

/** A download that fails to build answers with its problems: shown in the panel, not as a broken file. */
async function onDownload(event) {
  const a = event.currentTarget;
  event.preventDefault();
  a.setAttribute('aria-busy', 'true');
  try {
    const res = await fetch(a.href, { cache: 'no-store' });
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      setStatus(
        `The download did not build: ${(body.diagnostics ?? []).map((d) => d.message).join('; ') || body.error || res.statusText}`,
        'error',
      );
      return;
    }
    const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? 'briefing';
    const url = URL.createObjectURL(await res.blob());
    const link = el('a', { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } finally {
    a.removeAttribute('aria-busy');
  }
}

async function start() {
  restore();
  meta = await fetchJson('/api/meta');
  $('doc-title').title = `the content pack in ${meta.pack}`;
  const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  audienceLabels = Object.fromEntries(meta.audiences.map((a) => [a.id, capital(a.label.en ?? a.label['*'] ?? a.id)]));
  $('audience').replaceChildren(
    ...meta.audiences.map((a) => el('option', { value: a.id, text: audienceLabels[a.id] })),
  );
  $('lang').replaceChildren(...meta.languages.map((l) => el('option', { value: l, text: LANG_NAMES[l] ?? l })));
  if (!location.search) {
    state.output = meta.initial.output;
    state.audience = meta.initial.audience;
    state.lang = meta.initial.lang;
    state.length[meta.initial.output] = meta.initial.length;
  }
  if (!meta.audiences.some((a) => a.id === state.audience)) state.audience = meta.audiences[0]?.id ?? 'policymaker';
  if (!meta.languages.includes(state.lang)) state.lang = meta.languages[0] ?? 'en';
  $('controls').addEventListener('change', onControl);
  for (const [id, step] of [
    ['grid-prev', -1],
    ['grid-next', 1],
  ])
    $(id).addEventListener('click', () => {
      state.page = Math.max(1, state.page + step);
      refresh();
    });
  $('controls').addEventListener('submit', (e) => e.preventDefault());
  for (const kind of ['deck', 'memo', 'handout']) $(`dl-${kind}`).addEventListener('click', onDownload);
  const events = new EventSource('/events');
  events.addEventListener('change', (e) => {
    lastChange = JSON.parse(e.data);
    refresh();
  });
  await refresh();
}

start().catch((e) => setStatus(`The preview could not start: ${e.message}`, 'error'));
