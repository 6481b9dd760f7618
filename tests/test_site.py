"""The course website in a real browser: build it (docs/build.py, as `make docs`), serve it on
127.0.0.1 and drive Debian's Chromium with Playwright. What each page should show is read from the
notebooks themselves. Screenshots of the home page and of one chapter are saved to
docs/_build/screenshots/."""
import functools, json, re, subprocess, sys, threading
from http.server import ThreadingHTTPServer, SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlparse

import pytest
from nbdev.config import nbpath2html

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT/'docs'/'_build'
HTML, SHOTS = BUILD/'html', BUILD/'screenshots'
CHROMIUM = '/usr/bin/chromium'
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync']

# ---- what the notebooks hold ---------------------------------------------------------------------

_hidden = re.compile(r'^#\|\s*(hide\s*$|include:\s*false|output:\s*false)', re.M)
_math = re.compile(r'\$\$.+?\$\$|\$[^$\n]+\$', re.S)
_code = re.compile(r'```.*?```|`[^`\n]*`', re.S)

NBS = ROOT/'nbs'

class Chapter:
    """A page's notebook (a chapter, a solution, the teacher's guide; not index): its page, title,
    visible figures and whether it has $…$ math"""
    def __init__(self, path:Path):
        cells = json.loads(path.read_text())['cells']
        md = [''.join(c['source']) for c in cells if c['cell_type'] == 'markdown']
        self.path, self.page = path, nbpath2html(path.relative_to(NBS)).as_posix()
        self.src = path.relative_to(NBS).as_posix()
        self.title = re.search(r'^#\s+(.+?)\s*$', md[0], re.M)[1] if md else ''
        self.figures = sum(any(k.startswith('image/') for k in o.get('data', {}))
                           for c in cells
                           if c['cell_type'] == 'code' and not _hidden.search(''.join(c['source']))
                           for o in c.get('outputs', []))
        self.math = any(_math.search(_code.sub('', s)) for s in md)
        # house style: ends with exercises
        self.teaching = any(re.search(r'^##\s+Exercises', s, re.M) for s in md)
    def __repr__(self): return self.path.name

CHAPTERS = [Chapter(p) for p in sorted([*NBS.glob('*.ipynb'), *NBS.glob('solutions/*.ipynb')])
            if p.name != 'index.ipynb' and not p.name.startswith(('_', '.'))]
SOLUTIONS = [c for c in CHAPTERS if c.page.startswith('solutions/')]

SHOT_CHAPTER = next((c for c in CHAPTERS if c.figures and c.math),
                    next((c for c in CHAPTERS if c.figures), None))

def _title_text(s):
    "Title as the page shows it (markdown code and emphasis rendered)"
    return s.replace('`', '').replace('*', '')

# ---- build, serve, browse ------------------------------------------------------------------------

@pytest.fixture(scope='module')
def base_url():
    subprocess.run([sys.executable, 'docs/build.py'], cwd=ROOT, check=True)
    handler = functools.partial(type('Quiet', (SimpleHTTPRequestHandler,),
                                     {'log_message': lambda *a: None}),
                                directory=str(HTML))
    server = ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{server.server_port}/'
    server.shutdown(); server.server_close()

@pytest.fixture(scope='module')
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f'{CHROMIUM} is missing: apt-get install chromium (.ci/run does)')
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()

class Visit:
    "A browser tab that records console errors, failed or non-local requests and HTTP errors"
    def __init__(self, browser):
        self.problems = []
        self.context = browser.new_context(viewport={'width': 1280, 'height': 900})
        self.context.route('**/*', self._route)
        self.page = self.context.new_page()
        self.page.on('console', lambda m: m.type == 'error'
                     and self.problems.append(f'console error: {m.text}'))
        self.page.on('pageerror', lambda e: self.problems.append(f'page error: {e}'))
        self.page.on('requestfailed',
                     lambda r: self.problems.append(f'request failed: {r.url} {r.failure}'))
        self.page.on('response', lambda r: r.status >= 400
                     and self.problems.append(f'HTTP {r.status}: {r.url}'))

    def _route(self, route):
        url = urlparse(route.request.url)
        if url.scheme in ('http', 'https', 'ws', 'wss') and url.hostname != '127.0.0.1':
            self.problems.append(f'request to another host: {route.request.url}')
            return route.abort()
        route.continue_()

    def goto(self, url):
        self.page.goto(url, wait_until='networkidle')
        return self.page

    def check(self): assert not self.problems, '\n'.join(self.problems)

@pytest.fixture
def visit(browser):
    v = Visit(browser)
    yield v
    v.context.close()

def _typeset(page):
    "Wait for MathJax to finish (if the page loads it); the number of typeset formulas"
    return page.evaluate("""async () => {
        if (!window.MathJax) return 0;
        for (let i = 0; i < 200 && !(MathJax.startup && MathJax.startup.promise); i++)
            await new Promise(r => setTimeout(r, 50));
        await MathJax.startup.promise;
        return document.querySelectorAll('mjx-container').length; }""")

# ---- the tests -----------------------------------------------------------------------------------

def test_chapters_found():
    assert CHAPTERS and all(c.title for c in CHAPTERS), [c for c in CHAPTERS if not c.title]

def test_every_page_loads_clean_and_local(base_url, visit):
    pages = sorted(p.relative_to(HTML).as_posix()
                   for p in [*HTML.glob('*.html'), *HTML.glob('solutions/*.html')])
    assert ({'index.html', 'api.html', 'search.html'} | {c.page for c in CHAPTERS}
            <= set(pages)), pages
    for name in pages:
        page = visit.goto(base_url + name)
        _typeset(page)
        assert page.locator('h1').count() >= 1, name
    visit.check()

@pytest.mark.parametrize('ch', CHAPTERS, ids=str)
def test_chapter_figures_and_math(base_url, visit, ch):
    if ch.teaching: assert ch.figures >= 1, f'{ch}: a chapter with exercises must have a figure'
    page = visit.goto(base_url + ch.page)
    assert _title_text(ch.title) in page.locator('h1').first.inner_text(), (
        ch.title, page.locator('h1').first.inner_text())
    # no lazy image stays unloaded
    page.evaluate('window.scrollTo(0, document.body.scrollHeight)')
    widths = page.eval_on_selector_all('article .cell_output img',
                                       """imgs => Promise.all(imgs.map(i =>
        i.decode().then(() => i.naturalWidth, () => 0)))""")
    assert len(widths) == ch.figures and all(w > 0 for w in widths), (ch, ch.figures, widths)
    n = _typeset(page)
    if ch.math:
        assert n > 0, f'{ch}: $…$ in the notebook but no MathJax output on {ch.page}'
        assert page.locator('mjx-merror').count() == 0, f'{ch}: MathJax reports an error'
        untypeset = page.eval_on_selector_all('article .math', 'ms => ms.filter(m => '
                                              '!m.querySelector("mjx-container"))'
                                              '.map(m => m.textContent)')
        assert not untypeset, untypeset
    if ch is SHOT_CHAPTER:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS/f'chapter-{Path(ch.page).stem}.png', full_page=True)
    visit.check()

def test_home_reaches_every_chapter(base_url, visit):
    page = visit.goto(base_url + 'index.html')
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS/'home.png', full_page=True)
    sidebar = set(page.eval_on_selector_all('nav.bd-docs-nav a',
                                            'as => as.map(a => a.getAttribute("href"))'))
    assert {c.page for c in CHAPTERS} | {'api.html'} <= sidebar, sidebar
    # the chapter list on the home page, clicked
    for ch in [c for c in CHAPTERS if c.path.parent == NBS and c.path.name[0].isdigit()]:
        page = visit.goto(base_url + 'index.html')
        page.locator(f'article .toctree-wrapper a[href="{ch.page}"]').click()
        page.wait_for_load_state('networkidle')
        assert page.url.endswith('/' + ch.page), (ch, page.url)
        assert _title_text(ch.title) in page.locator('h1').first.inner_text(), ch
    visit.check()

def test_search_finds_vanishing_gradients_chapter(base_url, visit):
    ch = next((c for c in CHAPTERS if re.search(r'vanishing gradient', c.title, re.I)), None)
    if ch is None: pytest.fail('no chapter whose title (first `# heading`) mentions vanishing '
                               'gradients: nbs/04_gradients.ipynb is missing or untitled')
    page = visit.goto(base_url + 'index.html')
    page.locator('.bd-sidebar-primary button.search-button-field').click()
    page.locator('#pst-search-dialog input[name="q"]').fill('vanishing')
    page.keyboard.press('Enter')
    page.wait_for_url(re.compile(r'search\.html\?q=vanishing'))
    page.wait_for_selector('#search-results ul.search li', timeout=20_000)
    hits = page.eval_on_selector_all('#search-results ul.search li a',
                                     'as => as.map(a => a.getAttribute("href"))')
    assert any(h.split('?')[0].split('#')[0] == ch.page for h in hits), (ch.page, hits)
    visit.check()

# ---- what a reader sees: readable figures, fitting code, clean outputs, API, launch links, weight

NOISE = [(re.compile(r'\[\d+, \d\.\d{6,}, \d\.\d{6,}'), "a raw fastai log list"),
         (re.compile(r'\b\w*Warning\b:'), 'a warning'),
         (re.compile(r'(/tmp/|/root/|/home/|/work/|\.venv|site-packages|/var/folders/)'),
          "a path of the build machine")]

def _outputs(html:str) -> list:
    "The texts of the cell outputs of a built page"
    return [re.sub(r'<[^>]+>', '', m)
            for m in re.findall(r'<div class="cell_output.*?</div>\s*</div>', html, re.S)]

@pytest.mark.parametrize('ch', CHAPTERS, ids=str)
def test_outputs_are_clean(base_url, ch):
    outs = _outputs((HTML/ch.page).read_text())
    for text in outs:
        for pattern, what in NOISE:
            assert not pattern.search(text), (f'{ch.page}: {what} in an output: '
                                              f'{pattern.search(text)[0]!r}')
    doubled = [a for a, b in zip(outs, outs[1:]) if a.strip() and a.strip() == b.strip()]
    assert not doubled, f'{ch.page}: an output shown twice: {doubled[0][:200]!r}'

SMALL_PRINT_PX = 10          # the figures' text (FONT_PT at FIG_DPI) may shrink to this, not below

@pytest.mark.parametrize('ch', [c for c in CHAPTERS if c.figures], ids=str)
def test_figures_readable_and_open_full_size(base_url, visit, ch):
    from PIL import Image
    from resnet_course.core import FIG_DPI, FONT_PT
    page = visit.goto(base_url + ch.page)
    page.evaluate('window.scrollTo(0, document.body.scrollHeight)')
    imgs = page.eval_on_selector_all('article .cell_output img',
                                     """imgs => Promise.all(imgs.map(i => i.decode().then(
        () => ({src: i.getAttribute('src'), alt: i.alt, shown: i.clientWidth,
                natural: i.naturalWidth,
                link: i.closest('a') ? i.closest('a').getAttribute('href') : null}))))""")
    for i in imgs:
        # the image's own resolution: Jupyter saves figures at twice FIG_DPI for sharp screens
        dpi = Image.open((HTML/ch.page).parent/i['src']).info.get('dpi', (FIG_DPI,))[0]
        font_px = FONT_PT / 72 * dpi
        assert font_px * i['shown'] / i['natural'] >= SMALL_PRINT_PX, (ch.page, i)
        # a click opens the full-size image
        assert i['link'] == i['src'], (ch.page, i)
        assert (len(i['alt']) > 20 and '/' not in i['alt']
                and not i['alt'].endswith('.png')), (ch.page, i)
    visit.check()

@pytest.mark.parametrize('ch', CHAPTERS, ids=str)
def test_code_fits_and_phone_does_not_scroll_sideways(base_url, browser, ch):
    for viewport, what in [({'width': 1280, 'height': 900}, 'code'),
                           ({'width': 390, 'height': 844}, 'page')]:
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(base_url + ch.page, wait_until='networkidle')
        if what == 'code':
            wide = page.eval_on_selector_all('article .cell_input pre', """ps => ps.filter(
                p => p.scrollWidth > p.clientWidth + 1).map(p => p.textContent.split('\\n')[0])""")
            assert not wide, (f'{ch.page}: {len(wide)} code cells scroll sideways at 1280 px, '
                              f'e.g. {wide[:2]}')
        else:
            assert (page.evaluate('document.documentElement.scrollWidth')
                    <= viewport['width']), ch.page
        context.close()

def test_launch_links_and_downloads(base_url, visit):
    import tomllib
    repo = (tomllib.loads((ROOT/'pyproject.toml').read_text())['project']['urls']['Repository']
            .removeprefix('https://'))
    for ch in CHAPTERS:
        page = visit.goto(base_url + ch.page)
        hrefs = page.eval_on_selector_all('a.launch-link', 'as => as.map(a => a.href)')
        nb = f'{repo}/blob/main/nbs/{ch.src}'
        assert hrefs == ["https://colab.research.google.com/"
                         f"{nb.replace('github.com', 'github', 1)}",
                         f'https://kaggle.com/kernels/welcome?src=https://{nb}'], (ch.page, hrefs)
        download = HTML/'_sources'/Path(ch.page).with_suffix('.ipynb')
        assert (download.read_bytes()
                == ch.path.read_bytes()), f'{download} is not nbs/{ch.src}'
    visit.check()

def test_api_reference_and_index(base_url, visit):
    api = (HTML/'api.html').read_text()
    assert '__main__' not in api
    assert re.search(r'id="resnet_course.blocks.ResBlock">\s*<span class="property">'
                     r'<span class="k"><span class="pre">class</span>', api), (
        'classes documented as classes')
    assert 'id="resnet_course.blocks.ResBlock"' in api
    assert api.count('id="resnet_course.models.resnet18"') == 1
    assert 'ResBlock' in (HTML/'genindex.html').read_text(), 'the general index is empty'
    page = visit.goto(base_url + 'search.html?q=ResBlock')
    page.wait_for_selector('#search-results ul.search li', timeout=20_000)
    hits = page.eval_on_selector_all('#search-results ul.search li a',
                                     'as => as.map(a => a.getAttribute("href"))')
    assert any(h.startswith('api.html#resnet_course.blocks.ResBlock') for h in hits), hits
    visit.check()

def _transferred(browser, url) -> int:
    "Bytes a fresh browser loads for the page at `url` (HTML, scripts, styles, images, fonts)"
    context = browser.new_context(viewport={'width': 1280, 'height': 900})
    sizes = []
    page = context.new_page()
    page.on('response', lambda r: sizes.append(len(r.body())) if r.ok else None)
    page.goto(url, wait_until='networkidle')
    page.evaluate('window.scrollTo(0, document.body.scrollHeight)')
    page.wait_for_load_state('networkidle')
    context.close()
    return sum(sizes)

def test_weight(base_url, browser):
    assert _transferred(browser, base_url + 'index.html') <= 1_000_000
    heaviest = max((_transferred(browser, base_url + c.page), c.page) for c in CHAPTERS)
    # 2.5 MB until chapter 04 gained its questionnaire (2.54 MB: theme, MathJax, 7 figures)
    assert heaviest[0] <= 2_600_000, heaviest
    big = [(p.name, p.stat().st_size) for p in HTML.rglob('*')
           if p.suffix in ('.png', '.jpg', '.svg') and p.stat().st_size > 500_000]
    assert not big, big

def test_exercises_link_their_solutions_and_answers_fold(base_url, visit):
    "Each exercise's link opens its solution at its heading; questionnaire answers start folded"
    assert len(SOLUTIONS) == 7, SOLUTIONS
    ch = next(c for c in CHAPTERS if c.path.name == '05_degradation.ipynb')
    page = visit.goto(base_url + ch.page)
    links = page.eval_on_selector_all('article a[href*="solutions/"]',
                                      'as => as.map(a => a.getAttribute("href"))')
    assert 'solutions/degradation.html#exercise-5-6' in links, links
    page.locator('article a[href="solutions/degradation.html#exercise-5-6"]').first.click()
    page.wait_for_load_state('networkidle')
    assert page.url.endswith('solutions/degradation.html#exercise-5-6'), page.url
    assert page.locator('#exercise-5-6 h2, h2#exercise-5-6, section#exercise-5-6 h2').count() >= 1
    page = visit.goto(base_url + ch.page)
    answers = page.locator('article details')
    assert answers.count() >= 10
    assert not answers.first.evaluate('d => d.open') and not answers.first.locator(
        'p').first.is_visible(), 'questionnaire answers must start folded'
    answers.first.locator('summary').click()
    assert answers.first.locator('p').first.is_visible()
    visit.check()
