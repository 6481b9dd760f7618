"""Sphinx configuration of the course website, and what the site ships. Build it with `make docs`
(docs/build.py), not sphinx-build: build.py first writes the pages (plain notebooks) into
docs/_nbdev/. Here: the build stays offline, autodoc's API entries get the notebooks' comments,
and after Sphinx each figure links to its image, only the MathJax loaded is shipped and no page
loads anything from another host."""
import ast, importlib.util, inspect, io, json, math, re, shutil, socket, tokenize
from pathlib import Path
from fastcore.docments import docments
from nbdev.config import get_config, nbpath2html

ROOT = Path(__file__).resolve().parents[1]
cfg = get_config()
# the course's title: the home page's (nbs/index.ipynb) first `# heading`
project = re.search(r'^#\s+(.+?)\s*$', ''.join(json.loads((ROOT/'nbs'/'index.ipynb').read_text())
                                               ['cells'][0]['source']), re.M)[1]
author = cfg.author
copyright = f'the {author}'
html_title = project

extensions = ['myst_nb', 'sphinx.ext.autodoc', 'sphinx_copybutton']
nb_execution_mode = 'off'            # pages show the committed outputs of the real run
nb_merge_streams = True
nb_ipywidgets_js = {}                # MyST-NB would load the widget manager from a CDN
myst_enable_extensions = ['dollarmath', 'amsmath', 'attrs_inline', 'attrs_block', 'fieldlist']

autodoc_member_order = 'bysource'    # the API reference in the order the chapters build it up
default_role = 'py:obj'              # a docstring's `name` links to its entry (else code)
toc_object_entries_show_parents = 'hide'
copybutton_selector = 'div:not(.output) > div.highlight > pre'    # code, not its outputs
copybutton_exclude = '.linenos, .gp, .go'

# MathJax 3 from this site, not a CDN: `finished` copies these components from
# sphinx-mathjax-offline (24 MB): the startup and core, TeX input with the extensions it loads on
# demand, HTML output and its fonts. Not its 1.2 MB `tex-chtml.js`: the same TeX input and HTML
# output without the context menu (0.4 MB).
mathjax_path = 'mathjax/startup.js'
mathjax3_config = {'loader': {'load': ['input/tex', 'output/chtml', 'a11y/assistive-mml']}}
MATHJAX = ['startup.js', 'core.js', 'input/tex.js', 'input/tex/extensions', 'output/chtml.js',
           'output/chtml/fonts', 'a11y/assistive-mml.js']

html_theme = 'sphinx_book_theme'
html_theme_options = {
    'home_page_in_toc': True,
    'use_download_button': True,     # the page's notebook (build.py puts the one of nbs/ there)
    'use_fullscreen_button': False,
    'launch_buttons': {},            # no Binder/Colab buttons: each chapter has plain links instead
    'navbar_persistent': [],         # pydata-sphinx-theme 0.20 would add a second search bar
}
html_static_path = ['_static']
html_favicon = '_static/favicon.svg'   # else browsers ask for /favicon.ico, a 404
html_css_files = ['course.css']
html_js_files = [('course.js', {'defer': 'defer'})]   # after searchtools.js, which it adjusts
html_context = {'default_mode': 'light'}   # sphinx-book-theme leaves it empty: a console error

# ---- offline: no connection to, no name lookup of, no resource loaded from another machine ------

def _local(host) -> bool:
    return str(host) in ('localhost', '::1', '') or str(host).startswith('127.')

def stay_offline():
    "Make any connection or name lookup for another machine fail the build"
    connect, connect_ex, getaddrinfo = (socket.socket.connect, socket.socket.connect_ex,
                                        socket.getaddrinfo)
    def check(host):
        if not _local(host): raise OSError(f'the docs build tried to reach {host}: stay offline')
    def guarded(f):
        def g(self, address, *a):
            if self.family in (socket.AF_INET, socket.AF_INET6): check(address[0])
            return f(self, address, *a)
        return g
    def lookup(host, *a, **kw): check(host); return getaddrinfo(host, *a, **kw)
    socket.socket.connect, socket.socket.connect_ex = guarded(connect), guarded(connect_ex)
    socket.getaddrinfo = lookup

_re_ext_tag = re.compile(r'<(?:script|link|img|iframe|source|video|audio|embed)\b[^>]*?'
                         r'(?:src|href)\s*=\s*"(?:https?:)?//', re.I)
_re_ext_css = re.compile(r'(?:url\(\s*[\'"]?|@import\s+[\'"])(?:https?:)?//', re.I)

def external_resources(html:Path):
    "Files of the built site that load something from another host (links to other sites are fine)"
    return ([f for f in html.rglob('*.html') if _re_ext_tag.search(f.read_text(errors='replace'))] +
            [f for f in html.rglob('*.css') if _re_ext_css.search(f.read_text(errors='replace'))])

# ---- autodoc: what the notebooks say besides docstrings -----------------------------------------

def _comments(mod) -> dict:
    """What each top-level assignment of module `mod` holds: the comment that ends it, else a
    comment line right above it"""
    src = inspect.getsource(mod)
    toks = [t for t in tokenize.generate_tokens(io.StringIO(src).readline)
            if t.type == tokenize.COMMENT]
    notes = {t.start[0]: t.string.lstrip('#').strip() for t in toks}
    above = {t.start[0] + 1: t.string.lstrip('#').strip() for t in toks   # not nbdev's markers
             if t.start[1] == 0 and not t.string.startswith('# %%')}
    return {t.id: note for node in ast.parse(src).body
            if (note := notes.get(node.lineno) or notes.get(node.end_lineno)
                or above.get(node.lineno))
            for target in getattr(node, 'targets', [getattr(node, 'target', None)])
            for t in ast.walk(target or ast.Pass()) if isinstance(t, ast.Name)}

_re_code = re.compile(r'(`+)(.+?)\1')

def md2rst(md:str) -> str:
    """A line of the notebooks' markdown as reST: each code span a `name` (a link to its entry, or
    code), other markup characters escaped"""
    esc = lambda t: re.sub(r'([*|\\]|(?<=\w)_(?!\w))', r'\\\1', t)  # noqa: E731
    out, pos = [], 0
    for m in _re_code.finditer(md):
        before, after = md[m.start() - 1:m.start()], md[m.end():m.end() + 1]
        out += [esc(md[pos:m.start()]), '\\ ' * before.isalnum(), f'`{m[2]}`',
                '\\ ' * (after.isalnum() or after in ('*', '_'))]
        pos = m.end()
    return ''.join(out) + esc(md[pos:])

def api_docstring(app, what, name, obj, options, lines):
    """Docstrings (markdown, in the notebooks) as reST: a module's without its `Docs:` link (its
    page is this site); a constant's trailing comment, not its type's docstring; each parameter's
    comment (fastcore's docments)"""
    if what == 'module': lines[:] = [l for l in lines if not l.startswith('Docs:')]
    elif what == 'data':
        mod, _, var = name.rpartition('.')
        lines[:] = [_comments(importlib.import_module(mod)).get(var, '')]
    elif what in ('function', 'method', 'class'):
        try: notes = docments(obj)
        except Exception: notes = {}                    # no source (a C function, a lambda)
        lines += [''] * bool(lines) + [f':{"returns" if k == "return" else "param " + k}: {v}'
                                       for k, v in notes.items() if v]
    lines[:] = [md2rst(l) for l in lines]

def api_signature(app, what, name, obj, options, sig, ret):
    "Defaults as source: `act=ReLU`, not `act=<class 'torch.nn.modules.activation.ReLU'>`"
    short = lambda s: s and re.sub(r"<(?:class|function) '?[\w.]*?(\w+)'?(?: at 0x\w+)?>",  # noqa: E731
                                   r'\1', s)
    return short(sig), short(ret)

# ---- after Sphinx: what the site ships ----------------------------------------------------------

PHONE_PX = 9               # smallest size, in CSS pixels, of a figure's text on any screen
_re_fontawesome = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*">'
                             r'</script>')
_re_figure = re.compile(r'(?<!">)<img ([^>]*?)src="((?:\.\./)*_images/[^"]+)"([^>]*)>')
_re_img = re.compile(r'<img [^>]*?src="((?:\.\./)*_images/[^"]+)"')

def min_width(png:Path) -> int:
    "CSS width below which the text of a course figure (`FONT_PT` at its dpi) is under `PHONE_PX`"
    from PIL import Image
    from resnet_course.core import FIG_DPI, FONT_PT
    with Image.open(png) as im: width, dpi = im.width, im.info.get('dpi', (FIG_DPI,))[0]
    return math.ceil(width * PHONE_PX / (FONT_PT / 72 * dpi))

def download(nb:Path) -> str:
    "The name a page's notebook downloads as: `05_degradation.ipynb`, `solutions-05_degradation…`"
    return nb.relative_to(ROOT/cfg.nbs_path).as_posix().replace('/', '-')

def finished(app, exc):
    """Each page's download its notebook of `nbs/` (`download` names it); each figure a link to its
    full-size image with a readable smallest width; neither the icon script (the theme's CSS draws
    its icons) nor unused MathJax shipped; nothing loaded from other hosts"""
    if exc: return
    html = Path(app.outdir)
    shutil.rmtree(html/'_sources'); (html/'_sources').mkdir()
    for nb in sorted((ROOT/cfg.nbs_path).rglob('*.ipynb')):
        page = nbpath2html(nb.relative_to(ROOT/cfg.nbs_path)).with_suffix('').as_posix()
        if not (f := html/f'{page}.html').exists(): continue        # not a page (a checkpoint)
        shutil.copyfile(nb, html/'_sources'/download(nb))
        f.write_text(f.read_text().replace(f'_sources/{page}.ipynb"',
                                           f'_sources/{download(nb)}" download'))
    for f in html.rglob('*.html'):                  # (Sphinx links those it was given a size)
        s = _re_figure.sub(r'<a class="figure-link" href="\2"><img \1src="\2"\3></a>',
                           _re_fontawesome.sub('', f.read_text()))
        f.write_text(_re_img.sub(lambda m: f'{m[0]} style="--fig-min: '
                                           f'{min_width(f.parent/m[1])}px"', s))
    for f in (html/'_static'/'scripts').glob('fontawesome.js*'): f.unlink()
    src = Path(importlib.util.find_spec('sphinx-mathjax-offline').origin).parent/'static'/'mathjax'
    for p in MATHJAX:
        (html/'_static'/'mathjax'/p).parent.mkdir(parents=True, exist_ok=True)
        copy = shutil.copytree if (src/p).is_dir() else shutil.copyfile
        copy(src/p, html/'_static'/'mathjax'/p)
    if bad := external_resources(html):
        raise RuntimeError(f'these pages would load resources from other hosts: {bad}')

def setup(app):
    stay_offline()
    app.connect('autodoc-process-docstring', api_docstring)
    app.connect('autodoc-process-signature', api_signature)
    app.connect('build-finished', finished)
