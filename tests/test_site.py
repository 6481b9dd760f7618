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
        # numbered from the file name: `05. Degradation: …`, `Solutions 05: Degradation: …`
        self.num = m[1] if (m := re.match(r'(\d+)_', path.name)) else None
        self.numbered = (self.title if not self.num else f'{self.num}. {self.title}'
                         if path.parent == NBS else
                         f'Solutions {self.num}: {self.title.removeprefix("Solutions: ")}')
        self.download = self.src.replace('/', '-')          # `solutions-05_degradation.ipynb`
        self.figures = sum(any(k.startswith('image/') for k in o.get('data', {}))
                           for c in cells
                           if c['cell_type'] == 'code' and not _hidden.search(''.join(c['source']))
                           for o in c.get('outputs', []))
        self.math = any(_math.search(_code.sub('', s)) for s in md)
        # house style: ends with exercises
        self.teaching = any(re.search(r'^##\s+Exercises', s, re.M) for s in md)
    def __repr__(self): return self.path.name

# the graders hold the exercises' answers: a notebook of nbs/, no page of the site
OFF_SITE = {'index.ipynb', '91_graders.ipynb'}
CHAPTERS = [Chapter(p) for p in sorted([*NBS.glob('*.ipynb'), *NBS.glob('solutions/*.ipynb')])
            if p.name not in OFF_SITE and not p.name.startswith(('_', '.'))]
SOLUTIONS = [c for c in CHAPTERS if c.page.startswith('solutions/')]

SHOT_CHAPTER = next((c for c in CHAPTERS if c.figures and c.math),
                    next((c for c in CHAPTERS if c.figures), None))

def _title_text(s):
    "Title as the page shows it (markdown code and emphasis rendered)"
    return s.replace('`', '').replace('*', '')

def _straight(s):
    "Text of the page with Sphinx's typographic quotes made straight, as the notebooks write them"
    return s.replace('\u2019', "'").replace('\u2018', "'")

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
    assert 'graders.html' not in pages      # no answers on the site
    for name in pages:
        page = visit.goto(base_url + name)
        _typeset(page)
        assert page.locator('h1').count() >= 1, name
    visit.check()

@pytest.mark.parametrize('ch', CHAPTERS, ids=str)
def test_chapter_figures_and_math(base_url, visit, ch):
    if ch.teaching: assert ch.figures >= 1, f'{ch}: a chapter with exercises must have a figure'
    page = visit.goto(base_url + ch.page)
    assert _title_text(ch.numbered) in _straight(page.locator('h1').first.inner_text()), (
        ch.numbered, page.locator('h1').first.inner_text())
    assert _straight(page.title()).startswith(_title_text(ch.numbered)), page.title()
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
    sidebar = dict(page.eval_on_selector_all('nav.bd-docs-nav a', 'as => as.map(a => '
                                             '[a.getAttribute("href"), a.innerText.trim()])'))
    sidebar = {k: _straight(v) for k, v in sidebar.items()}
    assert {c.page for c in CHAPTERS} | {'api.html', 'genindex.html'} <= set(sidebar), sidebar
    for ch in CHAPTERS:                               # numbered in the sidebar
        assert sidebar[ch.page] == _title_text(ch.numbered), (sidebar[ch.page], ch.numbered)
    # the chapter list on the home page, clicked
    for ch in [c for c in CHAPTERS if c.path.parent == NBS and c.num]:
        page = visit.goto(base_url + 'index.html')
        page.locator(f'article .chapter-list a[href="{ch.page}"]').click()
        page.wait_for_load_state('networkidle')
        assert page.url.endswith('/' + ch.page), (ch, page.url)
        assert _title_text(ch.numbered) in _straight(page.locator('h1').first.inner_text()), ch
    visit.check()

def test_search_finds_vanishing_gradients_chapter(base_url, visit):
    ch = next((c for c in CHAPTERS if re.search(r'vanishing gradient', c.title, re.I)), None)
    if ch is None: pytest.fail('no chapter whose title (first `# heading`) mentions vanishing '
                               'gradients: nbs/04_gradients.ipynb is missing or untitled')
    page = visit.goto(base_url + 'index.html')
    page.locator('.bd-sidebar-primary button.search-button-field').click()
    box = page.locator('#pst-search-dialog input[name="q"]')
    box.fill('vanishing')
    # the magnifying glass ends left of where the query's text starts
    icon = page.locator('#pst-search-dialog .fa-magnifying-glass').bounding_box()
    text_left = box.evaluate('i => i.getBoundingClientRect().left + '
                             'parseFloat(getComputedStyle(i).paddingLeft)')
    assert icon['x'] + icon['width'] <= text_left, (icon, text_left)
    page.keyboard.press('Enter')
    page.wait_for_url(re.compile(r'search\.html\?q=vanishing'))
    page.wait_for_selector('#search-results ul.search li', timeout=20_000)
    hits = page.eval_on_selector_all('#search-results ul.search li a',
                                     'as => as.map(a => a.getAttribute("href"))')
    assert any(h.split('?')[0].split('#')[0] == ch.page for h in hits), (ch.page, hits)
    # the page a result opens marks the words searched for
    page.locator(f'#search-results ul.search li a[href^="{ch.page}"]').first.click()
    page.wait_for_load_state('networkidle')
    page.wait_for_selector('article span.highlighted', timeout=5_000)
    marks = page.locator('article span.highlighted')
    assert marks.first.inner_text().lower() == 'vanishing'
    assert marks.first.evaluate('e => getComputedStyle(e).backgroundColor') not in (
        'rgba(0, 0, 0, 0)', 'transparent')
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

@pytest.mark.parametrize('ch', [c for c in CHAPTERS if c.figures][:3], ids=str)
def test_figures_readable_on_a_phone(base_url, browser, ch):
    """At 390 px a figure keeps the width at which its text is at least 9 px and scrolls sideways
    inside its link; the page itself does not"""
    from PIL import Image
    from resnet_course.core import FIG_DPI, FONT_PT
    context = browser.new_context(viewport={'width': 390, 'height': 844})
    page = context.new_page()
    page.goto(base_url + ch.page, wait_until='networkidle')
    page.evaluate('window.scrollTo(0, document.body.scrollHeight)')
    imgs = page.eval_on_selector_all('article img', """imgs => Promise.all(imgs.map(i =>
        i.decode().then(() => ({src: i.getAttribute('src'), shown: i.clientWidth,
                                natural: i.naturalWidth}))))""")
    assert imgs, ch.page
    for i in imgs:
        dpi = Image.open((HTML/ch.page).parent/i['src']).info.get('dpi', (FIG_DPI,))[0]
        assert FONT_PT / 72 * dpi * i['shown'] / i['natural'] >= 9, (ch.page, i)
    assert page.evaluate('document.documentElement.scrollWidth') <= 390, ch.page
    context.close()

@pytest.mark.parametrize('ch', CHAPTERS, ids=str)
def test_code_fits_and_phone_does_not_scroll_sideways(base_url, browser, ch):
    "Code of up to 100 columns fits without scrolling at every desktop width from 1024 px"
    for viewport, what in [({'width': w, 'height': 900}, 'code') for w in (1024, 1200, 1280)] + [
            ({'width': 390, 'height': 844}, 'page')]:
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(base_url + ch.page, wait_until='networkidle')
        if what == 'code':
            wide = page.eval_on_selector_all('article div.highlight pre', """ps => ps.filter(
                p => Math.max(...p.textContent.split('\\n').map(l => l.length)) <= 100
                     && p.scrollWidth > p.clientWidth + 1)
                .map(p => p.textContent.split('\\n')[0])""")
            assert not wide, (f'{ch.page}: {len(wide)} code blocks scroll sideways at '
                              f'{viewport["width"]} px, e.g. {wide[:2]}')
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
        # the download button: the page's own notebook of nbs/, under a name of its own
        link = page.locator('a.btn-download-source-button')
        assert link.get_attribute('download') is not None, ch.page
        href = link.get_attribute('href')
        assert Path(href).name == ch.download, (ch.page, href)
        download = (HTML/ch.page).parent/href
        assert (download.read_bytes()
                == ch.path.read_bytes()), f'{download} is not nbs/{ch.src}'
    assert len({c.download for c in CHAPTERS}) == len(CHAPTERS)
    assert (HTML/'_sources'/'solutions-05_degradation.ipynb').exists()
    visit.check()

def test_api_reference_and_index(base_url, visit):
    api = (HTML/'api.html').read_text()
    assert '__main__' not in api
    assert re.search(r'id="resnet_course.blocks.ResBlock">\s*<span class="property">'
                     r'<span class="k"><span class="pre">class</span>', api), (
        'classes documented as classes')
    assert 'id="resnet_course.blocks.ResBlock"' in api
    assert api.count('id="resnet_course.models.resnet18"') == 1
    # constants documented, string values with their quotes, no path of the build machine
    assert re.search(r'id="resnet_course.core.QUICK_ENV">.*?<span class="property">.*?'
                     r"'RESNET_COURSE_QUICK'", api, re.S), 'QUICK_ENV and its value'
    assert str(ROOT) not in api and '/tmp/' not in api
    assert 'id="resnet_course.core.CHECKS"' in api and 'the graders module registers them' in api
    assert 'ResBlock' in (HTML/'genindex.html').read_text(), 'the general index is empty'
    page = visit.goto(base_url + 'search.html?q=ResBlock')
    page.wait_for_selector('#search-results ul.search li', timeout=20_000)
    hits = page.eval_on_selector_all('#search-results ul.search li a',
                                     'as => as.map(a => a.getAttribute("href"))')
    assert any(h.startswith('api.html#resnet_course.blocks.ResBlock') for h in hits), hits
    # the page's contents show each module's name whole; the general index is a click away
    page = visit.goto(base_url + 'api.html')
    cut = page.eval_on_selector_all('.bd-sidebar-secondary a', """as => as.filter(a =>
        a.textContent.trim().startsWith('resnet_course.') && a.scrollWidth > a.clientWidth + 1
        ).map(a => a.textContent.trim())""")
    assert not cut, cut
    assert page.locator('article a[href="genindex.html"]').count() >= 1
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
    # 1 MB until the home page showed chapter 05's degradation figure (a 250 kB PNG)
    assert _transferred(browser, base_url + 'index.html') <= 1_200_000
    heaviest = max((_transferred(browser, base_url + c.page), c.page) for c in CHAPTERS)
    # 2.5 MB until chapter 04 gained its questionnaire (2.54 MB: theme, MathJax, 7 figures)
    assert heaviest[0] <= 2_600_000, heaviest
    big = [(p.name, p.stat().st_size) for p in HTML.rglob('*')
           if p.suffix in ('.png', '.jpg', '.svg') and p.stat().st_size > 500_000]
    assert not big, big

def test_exercises_link_their_solutions_and_answers_fold(base_url, visit):
    "Each exercise's link opens its solution at its heading; questionnaire answers start folded"
    assert len(SOLUTIONS) == 8, SOLUTIONS          # chapters 01-08
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

def test_home_is_a_front_door(base_url, visit):
    """The course's title, the degradation figure (chapter 05's own, saying so), where to start,
    the install lines, and every chapter numbered with a line about it and a reading time"""
    page = visit.goto(base_url + 'index.html')
    h1 = page.locator('h1').first.inner_text()
    assert 'resnet_course' not in h1 and 'Residual networks' in h1, h1
    img = page.locator('article img').first
    assert img.evaluate('i => i.decode().then(() => i.naturalWidth)') > 0
    assert len(img.get_attribute('alt')) > 20 and 'plain' in img.get_attribute('alt')
    text = page.locator('article').inner_text()
    assert 'chapter 05' in text and "committed outputs" in text, 'the figure says where it is from'
    start = page.locator('article a', has_text='chapter 01').first
    assert start.get_attribute('href') == 'blocks.html'
    code = ' '.join(page.eval_on_selector_all('article div.highlight pre',
                                              'ps => ps.map(p => p.textContent)'))
    assert 'make demo' in code and 'make test' in code, code[:300]
    items = page.eval_on_selector_all('article .chapter-list li', 'ls => ls.map(l => l.innerText)')
    chapters = [c for c in CHAPTERS if c.path.parent == NBS and c.num]
    assert len(items) == len(chapters), items
    for ch, item in zip(chapters, items):
        assert _straight(item).startswith(_title_text(ch.numbered)), (item, ch.numbered)
        assert re.search(r'About \d+ min to read', item), item
    assert 'estimates' in text                       # the reading times say what they are
    visit.check()

def test_code_cells_have_copy_buttons(base_url, visit):
    ch = next(c for c in CHAPTERS if c.path.name == '05_degradation.ipynb')
    page = visit.goto(base_url + ch.page)
    cells = page.locator('article .cell_input div.highlight')
    assert cells.count() > 5
    assert page.locator('article .cell_input button.copybtn').count() == cells.count()
    assert page.locator('article .cell_output button.copybtn').count() == 0, 'outputs: no button'
    visit.check()

def test_print_wraps_code_and_opens_answers(base_url, browser):
    ch = next(c for c in CHAPTERS if c.path.name == '05_degradation.ipynb')
    context = browser.new_context(viewport={'width': 700, 'height': 900})
    page = context.new_page()
    page.goto(base_url + ch.page, wait_until='networkidle')
    page.emulate_media(media='print')
    wide = page.eval_on_selector_all('article div.highlight pre',
                                     'ps => ps.filter(p => p.scrollWidth > p.clientWidth + 1)'
                                     '.map(p => p.textContent.slice(0, 80))')
    assert not wide, wide
    answers = page.locator('article details')
    assert answers.count() >= 10
    assert all(answers.nth(i).locator('p').first.is_visible() for i in range(answers.count()))
    assert page.locator('button.copybtn').first.is_hidden()
    context.close()
