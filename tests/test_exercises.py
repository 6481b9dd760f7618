"""The exercises of chapters 01-08 as a student meets them: each links to its worked solution
in nbs/solutions/ (which `make test` runs), each self-check is run by its solution against a right
and a wrong answer, and each chapter's questionnaire quotes only figures its own outputs show."""
import importlib, json, re
from pathlib import Path

import pytest
from resnet_course.core import CHECKS

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT/'nbs'
CHAPTERS = sorted(p for p in NBS.glob('0[1-8]_*.ipynb'))
# every chapter with exercises has a questionnaire too
QUESTIONNAIRES = CHAPTERS

def cells(path): return json.loads(path.read_text())['cells']
def src(c): return ''.join(c['source'])

def section(path, title:str) -> list:
    "The markdown cells of `## title` up to the next `## ` heading"
    out, inside = [], False
    for c in cells(path):
        s = src(c)
        if c['cell_type'] == 'markdown' and re.match(r'##\s', s):
            if inside: break
            inside = re.match(rf'##\s+{title}\s*$', s.splitlines()[0]) is not None
            s = '\n'.join(s.splitlines()[1:])
        if inside and c['cell_type'] == 'markdown': out.append(s)
    return out

def exercises(path) -> dict:
    "Exercise number -> its text, from the chapter's `## Exercises` section"
    text = '\n'.join(section(path, 'Exercises'))
    items = re.split(r'^(\d+)\.\s', text, flags=re.M)
    return {int(n): t for n, t in zip(items[1::2], items[2::2])}

def solution(chapter:Path) -> Path: return NBS/'solutions'/chapter.name

def output_text(path) -> str:
    "Everything the executed notebook shows: streams, plain text, markdown and HTML outputs"
    parts = []
    for c in cells(path):
        for o in c.get('outputs', []):
            if 'text' in o: parts.append(''.join(o['text']))
            for k in ('text/plain', 'text/markdown', 'text/html'):
                if k in o.get('data', {}): parts.append(''.join(o['data'][k]))
    return '\n'.join(parts)

def test_every_chapter_has_exercises_and_solutions():
    assert [p.name[:2] for p in CHAPTERS] == ['01', '02', '03', '04', '05', '06', '07', '08']
    for ch in CHAPTERS:
        ex = exercises(ch)
        assert len(ex) >= 4 and list(ex) == list(range(1, len(ex) + 1)), ch.name
        assert solution(ch).exists(), f'{solution(ch)} is missing'

@pytest.mark.parametrize('chapter', CHAPTERS, ids=lambda p: p.stem)
def test_exercises_link_their_solutions(chapter):
    n = int(chapter.name[:2])
    headings = {m for c in cells(solution(chapter)) if c['cell_type'] == 'markdown'
                for m in re.findall(r'^##\s+Exercise\s+(\d+\.\d+)\s*$', src(c), re.M)}
    for i, text in exercises(chapter).items():
        link = f'(solutions/{chapter.name}#exercise-{n}.{i})'
        assert link in text, f'{chapter.name}: exercise {i} does not link {link}'
        assert f'{n}.{i}' in headings, f'{solution(chapter).name} has no `## Exercise {n}.{i}`'
        timed = r'about \d+|seconds|minutes?\b|needs (the real Imagenette|a GPU)'
        assert re.search(timed, text, re.I), \
            f'{chapter.name}: exercise {i} gives no expected time (or says what it needs)'

def test_graders_are_not_on_the_chapters_pages():
    "A student meets a hint, not the answer: no grader (nor its expected values) in a chapter"
    for ch in sorted(NBS.glob('0[1-9]_*.ipynb')):
        code = '\n'.join(src(c) for c in cells(ch) if c['cell_type'] == 'code')
        assert not re.search(r'exercise_check\(|\b_check_\d', code), ch.name

def test_self_checks_are_run_right_and_wrong_by_the_solutions():
    importlib.import_module('resnet_course.graders')
    assert len(CHECKS) >= 10
    for id in CHECKS:
        chapter = next(p for p in CHAPTERS if p.name.startswith(id[:2]))
        assert int(id.split('.')[1]) in exercises(chapter), f'{id}: no such exercise'
        ex_text = exercises(chapter)[int(id.split('.')[1])]
        assert f"check('{id}'" in ex_text, f'exercise {id} does not tell the student its check'
        code = '\n'.join(src(c) for c in cells(solution(chapter)) if c['cell_type'] == 'code')
        assert re.search(rf"assert check\('{re.escape(id)}',", code), f'{id}: never checked right'
        assert re.search(rf"assert not check\('{re.escape(id)}',", code), \
            f'{id}: never checked against a wrong answer'
        out = output_text(solution(chapter))
        assert f'✓ {id}: right' in out and f'✗ {id}: not yet.' in out, id

_bold = re.compile(r'\*\*([^*]+)\*\*')
_number = re.compile(r'(?<![\w.])[−-]?\d[\d,]*(?:\.\d+)?')
# a measured figure an answer quotes, in bold: `**36.4%**`, `**1.8×**`, `**0.52 s**`
_quoted = re.compile(r'[−-]?\d[\d,]*(?:\.\d+)?\s?(?:%|×|s|min|points|px)?')
_figure = re.compile(r'(?<![\w.])\d[\d,]*\.\d+|\d+(?:\.\d+)?\s?%')

def questions(chapter) -> list:
    "(question, answer) of each item of the chapter's `## Questionnaire`"
    qs = []
    for s in section(chapter, 'Questionnaire'):
        for m in re.finditer(r'\*\*(\d+)\.\*\*(.*?)<details>\s*<summary>Answer</summary>'
                             r'(.*?)</details>', s, re.S):
            qs.append((int(m[1]), m[2].strip(), m[3].strip()))
    return qs

@pytest.mark.parametrize('chapter', QUESTIONNAIRES, ids=lambda p: p.stem)
def test_questionnaire(chapter):
    qs = questions(chapter)
    assert 10 <= len(qs) <= 20, f'{chapter.name}: {len(qs)} questions'
    assert [q[0] for q in qs] == list(range(1, len(qs) + 1))
    shown = {n.replace(',', '').replace('−', '-') for n in _number.findall(output_text(chapter))}
    for n, q, a in qs:
        assert q and a, f'{chapter.name} question {n} is empty'
        for b in _bold.findall(a):
            if not _quoted.fullmatch(b.strip()): continue
            for fig in _number.findall(b):
                fig = fig.replace(',', '').replace('−', '-')
                assert fig in shown, (f'{chapter.name} question {n} quotes {fig}, which no output '
                                      'of the chapter shows')
        plain = _bold.sub('', a)
        if _figure.search(plain):
            assert 'reference' in plain.lower(), (
                f'{chapter.name} question {n}: {_figure.search(plain)[0]} is neither bold '
                "(measured in the chapter) nor labelled as a reference figure")
