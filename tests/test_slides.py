"""The lesson's slides in a real browser: build them (docs/slides.py, as `make docs`), serve them on
127.0.0.1 and step through every slide with reveal.js's API in Debian's Chromium (Playwright).
Screenshots of two slides are saved to docs/_build/screenshots/."""
import functools, json, subprocess, sys, threading
from http.server import ThreadingHTTPServer, SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SLIDES, SHOTS = ROOT/'docs'/'_build'/'html'/'slides', ROOT/'docs'/'_build'/'screenshots'
CHROMIUM = '/usr/bin/chromium'
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync']
SHOT = {"The demo's figure": 'slides-figure.png', 'Robust, not luck': 'slides-seeds.png'}

def expected_gaps():
    "{(precision, seed): (plain gap, residual gap)} in points, from the recorded demo runs"
    runs = json.loads((ROOT/'results'/'demo_seeds.json').read_text())['runs']
    pts = lambda e, deep, shallow: round(100 * (e[deep] - e[shallow]), 1)  # noqa: E731
    return {(r['precision'], r['seed']): (pts(r['errors'], 'plain-56', 'plain-20'),
                                          pts(r['errors'], 'res-56', 'res-20')) for r in runs}

@pytest.fixture(scope='module')
def base_url():
    subprocess.run([sys.executable, 'docs/slides.py'], cwd=ROOT, check=True)
    handler = functools.partial(type('Quiet', (SimpleHTTPRequestHandler,),
                                     {'log_message': lambda *a: None}), directory=str(SLIDES))
    server = ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{server.server_port}/'
    server.shutdown(); server.server_close()

@pytest.fixture(scope='module')
def deck(base_url):
    "The slides in Chromium: the page, and problems (console errors, failed or non-local requests)"
    if not Path(CHROMIUM).exists(): pytest.fail(f'{CHROMIUM} is missing: apt-get install chromium')
    from playwright.sync_api import sync_playwright
    problems = []
    def route(r):
        url = urlparse(r.request.url)
        if url.scheme not in ('http', 'https', 'ws', 'wss') or url.hostname == '127.0.0.1':
            return r.continue_()
        problems.append(f'request to another host: {r.request.url}'); r.abort()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={'width': 1280, 'height': 800})
        context.route('**/*', route)
        page = context.new_page()
        page.on('console', lambda m: m.type == 'error' and problems.append(f'console: {m.text}'))
        page.on('pageerror', lambda e: problems.append(f'page error: {e}'))
        page.on('requestfailed', lambda r: problems.append(f'failed: {r.url} {r.failure}'))
        page.on('response', lambda r: r.status >= 400 and problems.append(f'{r.status}: {r.url}'))
        page.goto(base_url + 'index.html', wait_until='networkidle')
        page.wait_for_function('window.Reveal && Reveal.isReady()')
        page.evaluate("Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
        yield page, problems
        browser.close()

def test_every_slide_renders_with_notes_and_figures(deck):
    page, problems = deck
    total = page.evaluate('Reveal.getTotalSlides()')
    assert total >= 12, total
    SHOTS.mkdir(parents=True, exist_ok=True)
    titles, figures = [], 0
    for i in range(total):
        h, v = page.evaluate('i => { const s = Reveal.getSlides()[i], ix = Reveal.getIndices(s);'
                             ' Reveal.slide(ix.h, ix.v); return [ix.h, ix.v || 0]; }', i)
        page.wait_for_timeout(100)
        s = page.evaluate("""async () => {
            const s = Reveal.getCurrentSlide(), box = document.querySelector('.reveal .slides')
                                                    .getBoundingClientRect();
            const r = s.getBoundingClientRect(), imgs = [...s.querySelectorAll('img')];
            await Promise.all(imgs.map(i => i.decode().catch(() => 0)));
            const out = [...s.querySelectorAll('*')].filter(e => !e.closest('aside'))
                .map(e => e.getBoundingClientRect())
                .filter(b => b.height && b.bottom > box.bottom + 2);
            const h = s.querySelector('h1, h2');
            return {title: h ? h.textContent.replace('\u2019', "'") : '',
                    present: s.classList.contains('present') && r.width > 0 && r.height > 0,
                    notes: [...s.querySelectorAll('aside.notes')].map(a => a.textContent.trim()),
                    overflow: out.length,
                    imgs: imgs.map(i => ({w: i.naturalWidth, alt: i.alt, src: i.src,
                        fw: i.getBoundingClientRect().width / box.width,
                        fh: i.getBoundingClientRect().height / box.height}))}; }""")
        assert page.evaluate('Reveal.getIndices()')['h'] == h, (i, h)
        assert s['present'] and s['title'], (i, s)
        assert s['notes'] and all(len(n) > 20 for n in s['notes']), (i, s['title'], s['notes'])
        assert not s['overflow'], (i, s['title'], 'content below the slide')
        for img in s['imgs']:
            assert img['w'] > 0 and len(img['alt']) > 20, (s['title'], img)
            assert not img['alt'].endswith('.png'), (s['title'], img)
            # projected as large as the slide allows: its full width, or (tall) most of its height
            assert img['fw'] > 0.8 or img['fh'] > 0.7, (s['title'], img)
        figures += len(s['imgs'])
        titles.append(s['title'])
        if s['title'] in SHOT: page.screenshot(path=SHOTS/SHOT[s['title']])
    assert figures >= 3, figures                # the demo's, the gradients', the lesion's at least
    assert set(SHOT) <= set(titles), titles
    assert not problems, '\n'.join(problems)

def test_seeds_table_matches_the_record(deck):
    page, problems = deck
    rows = page.eval_on_selector_all('table.seeds tr', 'rs => rs.map(r => [...r.cells]'
                                     '.map(c => c.innerText.trim()))')
    head, shown = rows[0], {}
    assert head[0] == 'seed' and len(head) == 5, head          # bf16 and fp32, plain and residual
    for r in rows[1:]:
        for col, v in zip(head[1:], r[1:]):
            prec, kind = col.split()
            shown.setdefault((prec, int(r[0])), {})[kind] = float(v.replace('\u2212', '-'))
    want = expected_gaps()
    assert sorted(shown) == sorted(want), (sorted(shown), sorted(want))
    for k, (plain, res) in want.items():
        assert (shown[k]['plain'], shown[k]['residual']) == (plain, res), (k, shown[k], want[k])
    assert not problems, '\n'.join(problems)

def test_slides_say_where_they_come_from(deck):
    "The quote is labelled as one, and the demo's figure says which run made it"
    page, problems = deck
    texts = page.eval_on_selector_all('.reveal .slides > section > section', 'ss => ss.map(s => '
                                      '[s.querySelector("h1, h2").textContent, s.innerText])')
    text = {t.replace('\u2019', "'"): body for t, body in texts}
    assert 'He et al. 2015, Sec. 1 (quote)' in text["The paper's claim"]
    assert 'When deeper networks are able to start converging' in text["The paper's claim"]
    for fact in ('quick mode', 'Fashion-MNIST (embedded) subset', 'seed 0'):
        assert fact in text["The demo's figure"], (fact, text["The demo's figure"])
    assert "check('05.6', answer)" in text['Homework with self-checks']
    assert not problems, '\n'.join(problems)

def test_nothing_loads_from_another_host(base_url):
    sys.path.insert(0, str(ROOT/'docs'))
    from slides import _re_ext
    assert _re_ext.search('<script src="https://cdn.example.org/reveal.js">')
    assert not _re_ext.search('<a href="https://arxiv.org/abs/1512.03385">the paper</a>')
    bad = [f for f in SLIDES.rglob('*') if f.suffix in ('.html', '.css')
           and _re_ext.search(f.read_text(errors='replace'))]
    assert not bad, bad
