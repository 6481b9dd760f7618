"""The transforms of docs/build.py and docs/conf.py on small inputs (tests/test_site.py checks the
whole site in a browser)."""
import importlib.util
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]

def _load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT/'docs'/f'{name}.py')
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod

build, conf = _load('build'), _load('conf')

def test_build_script_is_short_and_uses_no_private_nbdev_names():
    src = (ROOT/'docs'/'build.py').read_text()
    assert len(src.splitlines()) <= 250
    assert 'P._' not in src and 'nbdev._' not in src and 'sphinx.ext.autodoc' in (
        ROOT/'docs'/'conf.py').read_text()

def test_options_split_from_code():
    opts, code = build._split_options("#| fig-alt: Two curves\n#| echo: false\nplt.plot(x)\n")
    assert opts == {'fig-alt': 'Two curves', 'echo': 'false'} and code == 'plt.plot(x)'

def test_long_alt_text_continues_on_the_next_line():
    src = "#| fig-alt: Two curves:\n#| fig-alt: plain and residual\nplt.plot(x)"
    assert build.fig_alt(src) == 'Two curves: plain and residual'
    assert build.fig_alt('plt.plot(x)') == ''

def test_headings_outside_code_fences():
    md = "# Title\ntext\n```python\n# a comment, not a heading\n```\n## Section"
    assert list(build._headings(md)) == [(1, 'Title', 0), (2, 'Section', 5)]

def test_titles_numbered_from_file_names():
    site = SimpleNamespace(num={'degradation': '05', 'solutions/degradation': '05'})
    assert build.Site.title(site, 'degradation', 'Degradation') == '05. Degradation'
    assert (build.Site.title(site, 'solutions/degradation', 'Solutions: Degradation')
            == 'Solutions 05: Degradation')
    assert build.Site.title(site, 'teachers', 'A guide') == 'A guide'

def test_downloads_have_distinct_names():
    nbs = ROOT/'nbs'
    names = [conf.download(p) for p in [nbs/'05_degradation.ipynb',
                                        nbs/'solutions'/'05_degradation.ipynb']]
    assert names == ['05_degradation.ipynb', 'solutions-05_degradation.ipynb']

def test_api_entries():
    from resnet_course import blocks, core, data
    assert build.api_entry(blocks, 'ResBlock').startswith(
        '\n.. autoclass:: resnet_course.blocks.ResBlock\n   :members:')
    assert build.api_entry(core, 'QUICK_ENV') == '\n.. autodata:: resnet_course.core.QUICK_ENV\n'
    # a path of the build machine is not shown
    assert ':no-value:' in build.api_entry(data, 'EMBEDDED_FMNIST')

def test_markdown_docstrings_become_rest():
    assert conf.md2rst("with `PreActBlock`s, `prefix`*, **kw") == (
        r"with `PreActBlock`\ s, `prefix`\ \*, \*\*kw")
    assert conf.md2rst('`a` and `b`') == '`a` and `b`'

def test_reading_time_is_an_estimate_from_length():
    cell = lambda t, s: SimpleNamespace(cell_type=t, source=s)  # noqa: E731
    nb = SimpleNamespace(cells=[cell('markdown', 'word ' * 400), cell('code', 'x\n' * 20)])
    assert build.reading_minutes(nb) == 4

def test_figure_min_width_keeps_text_readable(tmp_path):
    from PIL import Image
    from resnet_course.core import FONT_PT
    Image.new('RGB', (1800, 100)).save(tmp_path/'f.png', dpi=(200, 200))
    w = conf.min_width(tmp_path/'f.png')
    assert FONT_PT / 72 * 200 * w / 1800 >= conf.PHONE_PX > FONT_PT / 72 * 200 * (w - 2) / 1800

def test_external_resources_found(tmp_path):
    (tmp_path/'a.html').write_text('<script src="https://cdn.example.org/x.js"></script>')
    (tmp_path/'b.html').write_text('<a href="https://example.org">a link is fine</a>'
                                   '<img src="_images/x.png">')
    (tmp_path/'c.css').write_text('@import "//fonts.example.org/f.css";')
    assert sorted(p.name for p in conf.external_resources(tmp_path)) == ['a.html', 'c.css']

def test_offline_guard_allows_local_only():
    assert conf._local('127.0.0.1') and conf._local('localhost')
    assert not conf._local('example.org')
