"""Build the course website from the executed notebooks, offline, failing on any warning.

    .venv/bin/python docs/build.py        # (`make docs`) then open docs/_build/html/index.html

1. nbdev's doc processors (`FilterDefaults`, what `nbdev-proc-nbs` runs) turn each notebook of `nbs/` into
   `docs/_proc/`: `#| hide` cells go, each exported function or class gets its `show_doc` entry (signature,
   docstring, source link), and directives become Quarto options. Two changes to nbdev's choices: exported
   code stays on the page (`rm_export`) and committed outputs are never re-run (`exec_show_docs`).
2. `plain` turns each processed notebook into a plain one in `docs/_nbdev/` (the Sphinx sources): Quarto
   options become MyST-NB tags, `show_doc` output becomes page content, and links to the hosted nbdev site
   become links inside this one. The API reference and the home page's chapter list are generated.
3. Sphinx + MyST-NB (execution off) with sphinx-book-theme and the MathJax that sphinx-mathjax-offline
   ships build `docs/_build/html`. Every warning is an error, and the build may not open a network
   connection to another machine.

Pages are named like nbdev's (`nbs/01_blocks.ipynb` → `blocks.html`), so nbdev's symbol links keep working.
"""
import ast, inspect, os, re, shutil, socket, time
from importlib import import_module
from pathlib import Path

import yaml
from fastcore.basics import AttrDict, str2bool
from fastcore.nbio import read_nb, write_nb, mk_cell
from nbdev import processors as P
from nbdev.config import get_config, nbpath2html
from nbdev.doclinks import nbglob, NbdevLookup
from nbdev.process import NBProcessor
from nbdev.showdoc import show_doc

DOCS = Path(__file__).resolve().parent
PROC, SRC, BUILD = DOCS/'_proc', DOCS/'_nbdev', DOCS/'_build'
HTML = BUILD/'html'

# ---- 1. nbdev processing ------------------------------------------------------------------------------

class split_title(P.Processor):
    "nbdev turns the markdown cell with `# Title` and `> description` into frontmatter and drops it: keep the rest"
    def begin(self):
        for i, c in enumerate(self.nb.cells):
            if c.cell_type != 'markdown' or not re.search(r'^#\s+\S', c.source, re.M): continue
            lines = c.source.splitlines()
            end = next(j for j, l in enumerate(lines) if re.match(r'#\s+\S', l)) + 1
            nxt = next((j for j in range(end, len(lines)) if lines[j].strip()), None)
            if nxt is not None and lines[nxt].startswith('>'): end = nxt + 1
            if '\n'.join(lines[end:]).strip():
                c.source, rest = '\n'.join(lines[:end]), mk_cell('\n'.join(lines[end:]).strip('\n'), 'markdown')
                rest.directives_ = {}
                self.nb.cells.insert(i + 1, rest)
            return

def rm_export(cell):
    """nbdev's `rm_export` hides the code of `#| export` cells, leaving only their `show_doc` entries. In this
    course the exported code *is* the lesson, so it stays (after its entries, see `mv_exports`); internal
    `#| exporti` cells, `#| hide` cells and `#| default_exp` go as in nbdev."""
    if cell.cell_type == 'code' and cell.directives_.keys() & {'exporti', 'hide', 'default_exp'}: del cell['source']

class mv_exports(P.Processor):
    "Like nbdev's `mv_exports`: each exported cell's `show_doc` entries before its code, but all of them, in order"
    def begin(self):
        cells, out, i = self.nb.cells, [], 0
        while i < len(cells):
            j = i + 1
            while j < len(cells) and getattr(cells[j], 'has_sd', False): j += 1
            out += cells[i+1:j][::-1] + [cells[i]]          # `add_show_docs` inserted them last first
            i = j
        self.nb.cells = out

_defining = {'export', 'exports', 'exporti', 'exec_doc'}

def _doc_code(cell) -> str:
    "What `show_doc` needs run from `cell`: a defining or `show_doc` cell whole, any other's top-level imports"
    if cell.cell_type != 'code' or not cell.source or P.cell_lang(cell) != 'python': return ''
    if cell.directives_.get('eval', '').lower() == 'false' or 'nbdev_export()' in cell.source: return ''
    if cell.directives_.keys() & _defining or P._is_showdoc(cell): return cell.source
    return '\n'.join(ast.unparse(t) for t in cell.parsed_() or [] if isinstance(t, (ast.Import, ast.ImportFrom)))

class exec_show_docs(P.exec_show_docs):
    """nbdev's processor runs the export cells, then *re-runs every cell that imports something* and replaces
    its outputs. This site shows the committed outputs of the real run, so here a teaching cell is never
    re-run: only its top-level imports are, for the `show_doc` cells that follow."""
    def __call__(self, cell):
        if not self.nb.has_docs_ or not hasattr(self, 'k') or not (code := _doc_code(cell)): return
        if str2bool(getattr(self.nb, 'frontmatter_', {}).get('skip_showdoc', False)): return
        if P._is_showdoc(cell): self.k.cell(cell)
        else: self.k.run(code)
        if (e := self.k.exc):
            raise RuntimeError(f'{self.nb.path_}: cell {cell.idx_} failed while rendering show_doc:\n{code}\n'
                               f'{type(e).__name__}: {e}') from e

    def end(self):
        if hasattr(self, 'k'): self.k.close()

def nbdev_procs():
    "nbdev's doc processors as pyproject.toml configures them, with the changes above and no Quarto comment"
    ours = {P.rm_export: rm_export, P.exec_show_docs: exec_show_docs, P.mv_exports: mv_exports, P.insert_warning: None}
    return [split_title] + [ours.get(p, p) for p in P.FilterDefaults().procs() if ours.get(p, p)]

def nbdev_process(path:Path):
    "Notebook `path` processed by nbdev for the docs, also saved to `docs/_proc/`"
    nb = read_nb(path)
    NBProcessor(nb=nb, procs=nbdev_procs(), rm_directives='quarto').process()
    write_nb(nb, PROC/path.name)
    return nb

# ---- 2. processed notebook -> plain notebook ----------------------------------------------------------

_re_opt = re.compile(r'^#\|\s*([\w-]+)\s*:\s*(.*?)\s*$')
_re_heading = re.compile(r'^(#{1,6})\s+(.*)$')

def _split_options(src:str):
    "Quarto options (`#| key: value` lines, which nbdev leaves) and the rest of a cell's source"
    opts, code = {}, []
    for line in src.splitlines():
        m = _re_opt.match(line)
        if m: opts[m[1]] = m[2].strip('\'"')
        else: code.append(line)
    return opts, '\n'.join(code).strip('\n')

def _headings(md:str):
    "(level, text, line index) of each ATX heading of markdown `md`, outside code fences"
    fenced = False
    for i, line in enumerate(md.splitlines()):
        if line.lstrip().startswith(('```', '~~~')): fenced = not fenced
        elif not fenced and (m := _re_heading.match(line)): yield len(m[1]), m[2], i

def _text(o):
    return ''.join(o) if isinstance(o, list) else o

class Site:
    "Pages of the site: processed notebooks, their nbdev page names, and the targets of symbol links"
    def __init__(self, nbs_path:Path):
        cfg = get_config()
        self.lib = cfg.lib_path.name
        self.host = f"{cfg.doc_host.rstrip('/')}{cfg.doc_baseurl.rstrip('/')}/" if cfg.doc_host else None
        paths = nbglob(nbs_path, func=Path, file_glob='*.ipynb').sorted()
        if not any(p.name == 'index.ipynb' for p in paths): raise FileNotFoundError(f'{nbs_path}/index.ipynb is missing')
        self.src = {nbpath2html(p).stem: p for p in paths}           # page name -> source notebook
        if len(self.src) < len(paths): raise ValueError(f'two notebooks give the same page name: {paths}')
        self.nbs = {page: nbdev_process(p) for page, p in self.src.items()}
        self.chapters = [page for page in self.src if page != 'index']
        self.titles = {page: self.frontmatter(page)['title'] for page in self.src}
        self.targets = {f'{page}-{name.lower()}' for page in self.chapters for name in self.documented(page)}

    def frontmatter(self, page) -> dict:
        "Title and description nbdev took from the notebook's first `# heading` and `> quote`"
        cell = self.nbs[page].cells[0]
        fm = yaml.safe_load(cell.source.strip().strip('-')) if cell.cell_type == 'raw' else None
        if not fm or 'title' not in fm: raise ValueError(f'{self.src[page]}: no title: start it with a markdown cell `# Title`')
        return fm

    def documented(self, page):
        "Names documented by `show_doc` on `page`"
        for cell in self.nbs[page].cells:
            if cell.cell_type == 'code' and _split_options(cell.source)[0].get('output') == 'asis':
                for o in cell.get('outputs', []):
                    md = _text(o.get('data', {}).get('text/markdown', ''))
                    yield from (text for _, text, _ in list(_headings(md))[:1])

    def link(self, md:str) -> str:
        "`md` with links to the hosted nbdev site pointed into this site, and none in headings"
        if not self.host: return md
        def repl(m):
            text, page, anchor = m[1], m[2], m[3]
            if anchor and f'{page}-{anchor}' in self.targets: return f'[{text}](#{page}-{anchor})'
            if anchor and f'{page}-{anchor.split(".")[0]}' in self.targets: return f'[{text}](#{page}-{anchor.split(".")[0]})'
            if page in self.src: return f'[{text}]({page}.ipynb)'
            return text
        md = re.sub(rf'\[([^\]]+)\]\({re.escape(self.host)}([\w-]+)\.html(?:#([^)\s]*))?\)', repl, md)
        lines = md.splitlines()
        for _, _, i in _headings(md): lines[i] = re.sub(r'\[([^\]]+)\]\([^)]*\)', r'\1', lines[i])
        return '\n'.join(lines)

    def show_doc_md(self, md:str, level:int, target:str|None=None, obj=None) -> str:
        "`show_doc` markdown as page content: headings one below `level`, source link after the heading"
        md = self.link(re.sub(r'^\s*---\s*\n', '', md))       # nbdev's rule above each entry: headings separate here
        src = re.search(r'\[source\]\((\S+?)\)\{[^}]*\}\s*', md)
        if src: md = md.replace(src[0], '')
        url = src and src[1]
        if url and url.endswith('#LNone') and obj is not None:  # show_doc of an imported object misses the line
            url = url[:-len('None')] + str(inspect.getsourcelines(obj)[1])
        hs = list(_headings(md))
        if not hs: return md
        lines, shift = md.splitlines(), level + 1 - min(h[0] for h in hs)
        for n, text, i in hs: lines[i] = '#' * min(n + shift, 6) + ' ' + text
        i = hs[0][2]
        if url: lines.insert(i + 1, f'\n[source]({url}){{.sd-source}}')
        if target: lines.insert(i, f'({target})=')
        return '\n'.join(lines)

    def plain(self, page:str):
        "The plain notebook MyST-NB renders for `page`"
        fm, cells, level, used = self.frontmatter(page), [], 1, set()
        head = f"# {fm['title']}" + (f"\n\n> {fm['description']}" if fm.get('description') else '')
        cells.append(mk_cell(head, 'markdown'))
        for cell in self.nbs[page].cells[1:]:
            if cell.cell_type == 'markdown':
                cells.append(mk_cell(self.link(cell.source), 'markdown'))
                level = ([h[0] for h in _headings(cell.source)] or [level])[-1]
            if cell.cell_type != 'code': continue                     # raw cells are Quarto input
            opts, code = _split_options(cell.source)
            if opts.get('include') == 'false': continue
            outs = [] if opts.get('output') == 'false' else cell.get('outputs', [])
            if opts.get('output') == 'asis':                          # markdown meant as page content: show_doc
                for o in outs:
                    md = _text(o.get('data', {}).get('text/markdown', ''))
                    name = next((text for _, text, _ in _headings(md)), '')
                    target = f'{page}-{name.lower()}' if page in self.chapters and name else None
                    if target in used: target = None              # `ResNet` and `resnet` share nbdev's anchor
                    used.add(target)
                    if md: cells.append(mk_cell(self.show_doc_md(md, level, target), 'markdown'))
                continue
            for o in outs:
                if 'text/markdown' in o.get('data', {}): o.data['text/markdown'] = self.link(_text(o.data['text/markdown']))
            if not code and not outs: continue
            new = mk_cell(code, 'code')
            new.outputs, new.execution_count = outs, cell.get('execution_count')
            if opts.get('echo') == 'false' or not code: new.metadata['tags'] = ['remove-input']
            cells.append(new)
        return _nb(cells)

    def api(self):
        "The API reference: `show_doc` of every function and class each chapter exports"
        cells = [mk_cell(f'# API reference\n\n> Everything `{self.lib}` exports, from the docstrings in the '
                         'notebooks. Each entry is explained, tested and used in its chapter.', 'markdown')]
        lookup = NbdevLookup()
        for page in self.chapters:
            mod = P._default_exp(read_nb(self.src[page]))     # processing removed the directive
            if not mod: continue
            m = import_module(f'{self.lib}.{mod}')
            objs = [o for n in getattr(m, '__all__', []) if (inspect.isfunction(o := getattr(m, n)) or inspect.isclass(o))
                    and o.__module__ == m.__name__]
            other = [f'`{n}`' for n in getattr(m, '__all__', []) if not any(n == o.__name__ for o in objs)]
            cells.append(mk_cell(f'## `{self.lib}.{mod}`\n\nFrom the chapter [{self.titles[page]}]({page}.ipynb).'
                                 + (f" Also exported: {', '.join(other)}." if other else ''), 'markdown'))
            for o in objs:
                md = lookup.linkify(show_doc(o)._repr_markdown_())
                cells.append(mk_cell(self.show_doc_md(md, 2, obj=o), 'markdown'))
        return _nb(cells)

    def index(self):
        "The home page: `index.ipynb`, with the chapter list (a toctree) under its `## Chapters` heading"
        nb = self.plain('index')
        toc = mk_cell('```{toctree}\n:maxdepth: 1\n\n' + '\n'.join(self.chapters) + '\n```', 'markdown')
        ref = mk_cell('```{toctree}\n:hidden:\n:caption: Reference\n\napi\n```', 'markdown')
        at = next((i + 1 for i, c in enumerate(nb.cells) if c.cell_type == 'markdown'
                   and any(t.strip().lower() == 'chapters' for _, t, _ in _headings(c.source))), None)
        if at is None: nb.cells.append(mk_cell('## Chapters', 'markdown')); at = len(nb.cells)
        nb.cells[at:at] = [toc]
        nb.cells.append(ref)
        return nb

def _nb(cells):
    return AttrDict(cells=cells, nbformat=4, nbformat_minor=5, metadata={
        'kernelspec': {'display_name': 'python3', 'language': 'python', 'name': 'python3'},
        'language_info': {'name': 'python', 'pygments_lexer': 'ipython3'}})

# ---- offline guard ------------------------------------------------------------------------------------

def _local(host) -> bool:
    return str(host) in ('localhost', '::1', '') or str(host).startswith('127.')

def stay_offline():
    "Make any connection or name lookup for another machine fail the build"
    connect, connect_ex, getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo
    def check(host):
        if not _local(host): raise OSError(f'the docs build tried to reach {host}; it must build offline')
    def guarded(f):
        def g(self, address, *a):
            if self.family in (socket.AF_INET, socket.AF_INET6): check(address[0])
            return f(self, address, *a)
        return g
    def lookup(host, *a, **kw):
        check(host)
        return getaddrinfo(host, *a, **kw)
    socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = guarded(connect), guarded(connect_ex), lookup

_re_ext_tag = re.compile(r'<(?:script|link|img|iframe|source|video|audio|embed)\b[^>]*?(?:src|href)\s*=\s*"(?:https?:)?//', re.I)
_re_ext_css = re.compile(r'(?:url\(\s*[\'"]?|@import\s+[\'"])(?:https?:)?//', re.I)

def external_resources(html:Path):
    "Files of the built site that load something from another host (links to other sites are fine)"
    return ([f for f in html.rglob('*.html') if _re_ext_tag.search(f.read_text(errors='replace'))] +
            [f for f in html.rglob('*.css') if _re_ext_css.search(f.read_text(errors='replace'))])

# ---- 3. Sphinx ----------------------------------------------------------------------------------------

def build():
    "Build the site into `docs/_build/html`; raise if Sphinx warns or a page would load from another host"
    from sphinx.cmd.build import build_main
    t0 = time.perf_counter()
    os.chdir(DOCS.parent)                # the project: nbdev and conf.py read its pyproject.toml
    stay_offline()
    os.environ['IN_TEST'] = '1'          # as nbdev-proc-nbs sets it while notebooks are processed
    for d in (PROC, SRC, HTML): shutil.rmtree(d, ignore_errors=True)
    PROC.mkdir(parents=True); SRC.mkdir(parents=True)
    site = Site(get_config().nbs_path)
    for page in site.chapters: write_nb(site.plain(page), SRC/f'{page}.ipynb')
    write_nb(site.api(), SRC/'api.ipynb')
    write_nb(site.index(), SRC/'index.ipynb')
    t1 = time.perf_counter()
    rc = build_main(['-b', 'html', '-c', str(DOCS), '-d', str(BUILD/'doctrees'), '-W', '--keep-going', '-q',
                     str(SRC), str(HTML)])
    if rc: raise SystemExit('docs build failed (Sphinx warnings are errors): see above')
    if bad := external_resources(HTML):
        raise SystemExit(f'docs build failed: these pages would load resources from other hosts: {bad}')
    t2 = time.perf_counter()
    print(f'{len(site.chapters)} chapters + home + API reference: nbdev {t1-t0:.0f} s, Sphinx {t2-t1:.0f} s '
          f'-> {HTML/"index.html"}')

if __name__ == '__main__': build()
