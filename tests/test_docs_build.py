"""The transforms of docs/build.py on small inputs (tests/test_site.py checks the whole site in a
browser)."""
import importlib.util
from pathlib import Path
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location('build', ROOT/'docs'/'build.py')
build = importlib.util.module_from_spec(spec); spec.loader.exec_module(build)

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

def test_factory_families_are_one_entry():
    from resnet_course import models
    groups = {g[0][0]: [n for n, _ in g] for g in build.api_groups(models)}
    family = next(names for names in groups.values() if 'resnet18' in names)
    assert {'resnet18', 'resnet34', 'resnet152', 'plain18', 'plain152'} <= set(family)
    group = next(g for g in build.api_groups(models) if g[0][0] == family[0])
    entry = build.api_entry(models, group)
    assert entry.count('.. py:function::') == 1 and 'One-line wrappers' in entry

def test_classes_are_classes_with_real_paths():
    from resnet_course import blocks
    entry = build.api_entry(blocks, [('ResBlock', blocks.ResBlock)])
    assert entry.startswith('````{py:class} ResBlock(') and '{py:class}`torch.nn.Module`' in entry
    assert '__main__' not in entry and 'self' not in entry.splitlines()[0]
    assert build._path(nn.Module) == 'torch.nn.Module'
    assert build._path(torch.Tensor) == 'torch.Tensor'

def test_data_values_hide_paths():
    assert build._value(Path('/home/someone/data')) is None and build._value(42) == '42'
    assert build._value('x' * 100) is None

def test_external_resources_found(tmp_path):
    (tmp_path/'a.html').write_text('<script src="https://cdn.example.org/x.js"></script>')
    (tmp_path/'b.html').write_text('<a href="https://example.org">a link is fine</a>'
                                   '<img src="_images/x.png">')
    (tmp_path/'c.css').write_text('@import "//fonts.example.org/f.css";')
    assert sorted(p.name for p in build.external_resources(tmp_path)) == ['a.html', 'c.css']

def test_offline_guard_allows_local_only():
    assert build._local('127.0.0.1') and build._local('localhost')
    assert not build._local('example.org')

def test_signatures_show_defaults_as_source():
    def f(a:int, act=nn.ReLU, path:Path=None) -> nn.Module: ...
    f.__module__ = 'resnet_course.x'
    sig = '(a: int, act=torch.nn.ReLU, path: pathlib.Path = None) -> torch.nn.Module'
    assert build._sig(f) == sig
