"""Slides of the lesson (nbs/teachers.ipynb): reST into docs/_slides/, reveal.js (sphinx-revealjs)
into docs/_build/html/slides/, offline, after docs/build.py. Texts, commands, figures (two-row ones
also cut in rows, to fill a slide) from the notebooks' committed outputs, gaps from results/."""
import ast, base64, io, json, re, shutil, subprocess, sys
from pathlib import Path
import numpy as np
from PIL import Image

DOCS = Path(__file__).resolve().parent
ROOT, SRC, OUT = DOCS.parent, DOCS/'_slides', DOCS/'_build'/'html'/'slides'
NBS, RESULTS = ROOT/'nbs', ROOT/'results'
# of chapter 05: the panels its "Reading it." names, the questions for the pair work
PANELS, PAIRS = ('Top left', 'Top right', 'Bottom left', 'bottom right'), (1, 2, 8)
VEIT = ('Veit et al. 2016 (reference): deleting one block barely changes the error of a 110-layer '
        'ResNet; a plain net collapses')

def read(path): return json.loads(Path(path).read_text())
def cells(nb): return [(c['cell_type'], ''.join(c['source']), c.get('outputs', []))
                       for c in read(NBS/nb)['cells']]
def md(nb, has): return next(s for t, s, _ in cells(nb) if t == 'markdown' and has in s)
def rst(s): return re.sub(r'(?<!`)`([^`]+)`(?!`)', r'``\1``', ' '.join(s.replace('$', '').split()))
def caption(s): return f'\n\n.. rst-class:: caption\n\n{s}' * bool(s)
def img(name, alt): return f'.. image:: {name}\n   :alt: {alt}\n   :class: r-stretch'

def figure(nb, code, name, cap=''):
    "reST of a code cell's figure, and of its rows (cut in a white band) or [itself]: (whole, rows)"
    for t, s, outs in cells(nb):
        png = next((o['data']['image/png'] for o in outs if 'image/png' in o.get('data', {})), 0)
        if t != 'code' or code not in s or not png: continue
        alt = ' '.join(re.findall(r'^#\|\s*fig-alt:\s*(.*?)\s*$', s, re.M)); assert alt, (nb, code)
        (SRC/f'{name}.png').write_bytes(data := base64.b64decode(''.join(png)))
        im, rows = Image.open(io.BytesIO(data)), []
        (w, h), dpi = im.size, im.info.get('dpi', (100, 100))
        white = np.flatnonzero(np.asarray(im.convert('L'))[h * 3 // 10:h * 7 // 10].min(1) > 245)
        band = max(np.split(white, np.flatnonzero(np.diff(white) > 1) + 1), key=len) + h*3 // 10
        for part, box in [('top', (0, 0, w, y := band[len(band) // 2] if len(band) else 0)),
                          ('bottom', (0, y, w, h))] * (len(band) > h // 50):
            im.crop(box).save(SRC/f'{name}-{part}.png', dpi=dpi)
            rows.append(img(f'{name}-{part}.png', f'The {part} row of the figure: {alt}'))
        return (whole := img(f'{name}.png', alt) + caption(cap)), rows or [whole]
    return '', []

def seeds_table():
    "Plain and residual gaps (points of training error, deep − shallow) per seed and precision"
    runs = read(RESULTS/'demo_seeds.json')['runs']; prov = runs[0]['provenance']
    gap = lambda e, k: f"{round(100 * (e[k + '-56'] - e[k + '-20']), 1) + 0.:+.1f}"  # noqa: E731
    by, precs = {(r['precision'], r['seed']): r['errors'] for r in runs}, ('bf16', 'fp32')
    rows = [['seed'] + [f'{p} {k}' for p in precs for k in ('plain', 'residual')]] + [
        [str(s)] + [gap(by[p, s], k) for p in precs for k in ('plain', 'res')]
        for s in sorted({r['seed'] for r in runs})]
    return ('.. list-table::\n   :header-rows: 1\n   :class: seeds\n\n' + '\n'.join(
        '   * - ' + '\n     - '.join(r) for r in rows) + caption(
        f"Training error, 56 − 20 layers, in points: {len(runs)} runs of ``resnet-course demo "
        f"--seed N``, {prov['date'][:10]}, {prov['threads']}-thread CPU (results/demo_seeds.json)"))

def source() -> str:
    plan = next(s for t, s, _ in cells('teachers.ipynb') if 'plan = pd.DataFrame(' in s)
    plan = ast.literal_eval(next(n for n in ast.walk(ast.parse(plan)) if isinstance(n, ast.Call)
                                 and getattr(n.func, 'attr', '') == 'DataFrame').args[0])
    def step(w): return next((c, a) for s, c, _, a in plan if w in s)      # (command, question)
    secs = {s['command']: s['seconds'] for s in read(RESULTS/'lesson.json')['steps']}
    ch5, claim = cells('05_degradation.ipynb'), md('05_degradation.ipynb', 'Sec. 1:')
    quote = re.search(r'Sec\. 1:\s*\n\s*((?:>.*\n?)+)', claim)[1].replace('>', '').strip('" \n')
    parts = re.split(f"({'|'.join(PANELS)}):", md('05_degradation.ipynb', '**Reading it.**')
                     .split('\n\n')[0])
    panel = {k.capitalize(): rst(v).rstrip(';') for k, v in zip(parts[1::2], parts[2::2])}
    qs = {int(m[1]): m for t, s, _ in ch5 if t == 'markdown' and (m := re.match(
        r'\*\*(\d+)\.\*\*\s*(.+?)\n.*?<summary>Answer</summary>\s*(.+?)\s*</details>', s, re.S))}
    recipe = ast.literal_eval(next(''.join(o['data']['text/plain']) for _, s, outs in ch5
                                   if s.strip() == 'DEMO_RECIPE.as_dict()' for o in outs))
    b = dict(re.findall(r'^([\w ]+): (.*)$', next(''.join(o.get('text', '')) for _, s, outs in ch5
                        if 'run_banner(' in s and '#| export' not in s for o in outs), re.M))
    demo, rows = figure('05_degradation.ipynb', 'plot_degradation(records', 'demo', f"Chapter 05"
                  f"'s committed run: {b['mode']}, {b['dataset']} subset, {b['train images']} "
                  f"training images, seed {recipe['seed']}, {b['device']}.")
    assert len(rows) == 2 and len(panel) == 4, "chapter 05's figure or its \"Reading it.\" changed"
    S, plain = [], claim.split('**In plain words:**')[1].split('\n\n')[0]
    def slide(head, body, note):
        if body: S.append(f"{head}\n{'=' * len(head)}\n\n{body}\n\n.. revealjs-notes::\n\n   "
                          + rst(note))
    def shown(figs, w): return [f and f'``{step(w)[0]}``\n\n{f}' for f in figs]
    slide(md('index.ipynb', '# ').splitlines()[0].lstrip('# '), 'A 50-minute lesson: **why does a '
          'deeper network train worse, and what does a shortcut change?** (He et al. 2015)',
          'Before class: make demo, delete demo_output/. Commands run while the class answers.')
    slide('More layers, better?', '- A 56-layer net can compute all a 20-layer one can.\n- Should '
          'it ever have a higher **training** error?\n\n**Vote:** yes / no', step('The question')[1]
          + ' Expected: most vote no (copy the 20-layer net, pass the input on); the demo: yes.')
    slide("The paper's claim", f'.. rst-class:: quote\n\n   "{rst(quote)}"\n\n   -- He et al. '
          f"2015, Sec. 1 (quote)\n\n**In plain words:** {rst(plain.split(': the solver')[0])}.",
          f'Read the quote aloud; stress *training* error. {plain}')
    slide('The demo', f".. code-block:: bash\n\n   {step('The demo')[0]}\n\n- trains plain-20, "
          f"plain-56, res-20, res-56 with one recipe\n- {recipe['n_train']:,} Fashion-MNIST "
          f"images, width {recipe['width']}, {recipe['epochs']} epochs, {recipe['opt']}, seed "
          f"{recipe['seed']}\n- {secs[step('The demo')[0]]} s on a 2-core CPU (measured, start-up "
          f"included)", f"{step('The demo')[1]} Expected: plain-56; it could copy plain-20.")
    slide("The demo's figure", demo, 'Let them look first. Thin: training, bold: validation.')
    for row, fig in zip(('top', 'bottom'), rows):
        slide(f'How to read it: {row} row', ''.join(f'- **{k}:** {v}\n' for k, v in panel.items()
              if k.lower().startswith(row)) + '\n' + fig, step('Read the figure')[1] + ' Expected: '
              'no, its validation error is close to its high training error; copy their input.')
    slide('Robust, not luck', seeds_table(), 'Each seed: other images, weights, batch order. Plain '
          "gap always over 10 points, residual gap under a third of it. Check the demo's banner.")
    for head, code, w in [('Vanishing gradients?', 'plot_depth_sweep(no_bn[act]', 'Vanishing'),
                          ('And with batch norm?', 'bn_he = depth_sweep', 'batch norm')]:
        fig = figure('04_gradients.ipynb', code, w.lower().replace(' ', '-'))[0]
        slide(head, shown([fig], w)[0], step(w)[1] + " Expected: no BN: the plain net's "
              "first-layer gradient vanishes, not the residual's; with BN none: another cause.")
    for head, fig in zip(['Delete blocks: one', 'Delete blocks: k at random'], shown(
            figure('07_whyskips.ipynb', 'plot_lesions(', 'lesion')[1], 'Delete')):
        slide(head, fig and fig + caption(VEIT), f"{step('Delete')[1]} Expected: the residual "
              'net: 2^n paths through n blocks, a deletion leaves half; a plain net has one.')
    for head, fig in zip(['The loss landscape', 'The loss landscape: 1-D slices'], shown(
            figure('07_whyskips.ipynb', 'plot_landscapes(', 'landscape')[1], 'landscape')):
        slide(head, fig, step('landscape')[1] + ' Expected: the residual; plain-56 is in a pit.')
    slide('Questions for pair work', "Chapter 05's questionnaire:\n\n" + '\n'.join(
          f'- **{n}.** {rst(qs[n][2])}' for n in PAIRS), f"{step('Questionnaire')[1]} Expected "
          'answers: ' + ' '.join(f'({n}) {qs[n][3]}' for n in PAIRS))
    slide('Homework with self-checks', '.. code-block:: python\n\n   from resnet_course.core import'
          " check\n   check('05.6', answer)    # ✓ right, or ✗ not yet, with a hint\n\n- two "
          'exercises with a self-check, one without', step('Homework')[1] + " 05.6 builds the "
          "paper's constructed solution. Link the solutions once the homework is due.")
    return '\n\n'.join(S) + '\n'

CONF = dict(extensions=['sphinx_revealjs'], project='Lesson slides', revealjs_style_theme='white',
            revealjs_static_path=['_static'], revealjs_css_files=['slides.css'],
            revealjs_script_conf=dict(width=1280, height=800, margin=.02, slideNumber='c/t'),
            revealjs_script_plugins=[dict(src='revealjs/plugin/notes/notes.js',
                                          name='RevealNotes')])
CSS = """.reveal{font-size:28px} .reveal h1{font-size:1.5em} .reveal .caption{font-size:.6em}
.reveal pre{font-size:.9em;box-shadow:none;margin:.3em auto} .reveal table.seeds{font-size:.8em}"""
KEEP = ('LICENSE', 'dist/reveal.', 'dist/theme/white.', 'dist/theme/fonts/source', 'plugin/notes')
_re_ext = re.compile(r'<(?!a\b)[^>]*\b(?:src|href)\s*=\s*"(?:https?:)?//|url\(\s*[\'"]?(?:https?:)?'
                     r'//|@import\s+[\'"](?:https?:)?//', re.I)    # a link to a site is fine

def build():
    "Write docs/_slides/, build the slides; fail on a warning or a resource from another host"
    shutil.rmtree(SRC, ignore_errors=True); shutil.rmtree(OUT, ignore_errors=True)
    (SRC/'_static').mkdir(parents=True); (SRC/'_static'/'slides.css').write_text(CSS)
    (SRC/'conf.py').write_text(''.join(f'{k} = {v!r}\n' for k, v in CONF.items()))
    (SRC/'index.rst').write_text(source())
    subprocess.run([sys.executable, '-m', 'sphinx', '-b', 'revealjs', '-W', '--keep-going', '-q',
                    '-d', str(SRC/'.doctrees'), str(SRC), str(OUT)], check=True)
    for f in (reveal := OUT/'_static'/'revealjs').rglob('*'):   # keep what the slides load
        if f.is_file() and not f.relative_to(reveal).as_posix().startswith(KEEP): f.unlink()
    if bad := [f for f in OUT.rglob('*') if f.suffix in ('.html', '.css')
               and _re_ext.search(f.read_text(errors='replace'))]:
        raise SystemExit(f'the slides would load resources from other hosts: {bad}')
    print(f'slides -> {OUT/"index.html"}')

if __name__ == '__main__': build()
