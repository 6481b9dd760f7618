"""The recorded runs in results/: every record has its schema and its provenance, and one of them
reproduces.

The chapters load these records and assert their claims on them (05: the demo's seeds, the
12-epoch run and the run on all 60,000 images; 06: resnet34 and plain34 on real images, and the
transfer study's pretrained body and its moves to five new classes; 08: the Fashion-MNIST recipe,
its seeds, its ablations, its fp32 budget runs and two more changes at its full budget; the
teacher's guide: the lesson's timings; the solutions: their full-mode runs)."""
import pytest
import torch
from helpers import quietly
from resnet_course.core import RESULTS, cpu_has_bf16, cpu_name, on_gpu, read_json
from resnet_course.fashion import FASHION_ABLATIONS, FASHION_BUDGET, FASHION_TRIED
from resnet_course.runs import SUMMARY, Interrupt, Recipe, read_record, train_run

PROVENANCE = {'command', 'commit', 'date', 'cpu', 'gpu', 'threads', 'precision', 'torch'}
RUN_RECORDS = (sorted(RESULTS.glob('training/*/*.json')) + sorted(RESULTS.glob('transfer/*.json'))
               + sorted(RESULTS.glob('degradation-long/*.json'))
               + sorted(RESULTS.glob('degradation-full/*.json')))
FASHION = (sorted(RESULTS.glob('fashion/seed*.json'))
           + sorted(RESULTS.glob('fashion/ablation-*.json'))
           + sorted(RESULTS.glob('fashion/budget-*.json'))
           + sorted(RESULTS.glob('fashion/tried-*.json')))

# records made before they had to come from a committed tree: re-recorded on another CPU (from
# commit 3cc211d) their single-run claims did not all hold, so they wait for runs with seeds
BEFORE_THE_RULE = {'05_depth110', '05_epochs', '05_sgd', '05_width16', '07_lesion56'}

def check_provenance(p, committed:bool=True):
    assert PROVENANCE <= set(p), PROVENANCE - set(p)
    assert p['command'] and p['commit'] != 'unknown' and len(p['date']) >= 10 and p['threads'] >= 1
    # made from a committed tree: the commit names the code that made it
    assert not committed or not p['commit'].endswith('-dirty'), p['commit']
    assert p['precision'] in ('fp32', 'bf16', 'fp16')

def test_records_exist():
    assert len(list(RESULTS.glob('training/*/*.json'))) == 12, (
        'resnet-course record training')
    from resnet_course.training import LABELS, TRANSFER
    transfer = {p.stem for p in RESULTS.glob('transfer/*.json')}
    assert transfer == {'pretrain'} | {f'{m}-{n}-seed{s}' for m in TRANSFER for n in LABELS
                                       for s in range(3)}, 'resnet-course record transfer'
    # the body the moves start from stays with them (1 MB): a reader can move it too
    assert (RESULTS/'transfer'/'pretrain.pth').exists()
    assert len(list(RESULTS.glob('degradation-long/*.json'))) == 4, (
        'resnet-course record long')
    assert len(list(RESULTS.glob('degradation-full/*.json'))) == 4, (
        'resnet-course record full')
    found = {p.stem for p in FASHION}
    assert {'seed0', 'seed1', 'seed2'} <= found, 'resnet-course record fashion'
    assert {f'ablation-{a}' for a in FASHION_ABLATIONS} <= found, (
        'resnet-course record ablations')
    assert {f'budget-{b}' for b in FASHION_BUDGET} <= found, 'resnet-course record budget'
    assert {f'tried-{t}' for t in FASHION_TRIED} <= found, 'resnet-course record tried'
    assert (RESULTS/'demo_seeds.json').exists(), 'resnet-course record demo'

@pytest.mark.parametrize('path', RUN_RECORDS, ids=lambda p: str(p.relative_to(RESULTS)))
def test_run_record(path):
    rec = read_record(path.parent, path.stem)
    assert set(SUMMARY) | {'recipe', 'history', 'losses', 'provenance'} <= set(rec)
    check_provenance(rec['provenance'])
    assert Recipe.of(rec['recipe']).precision == rec['provenance']['precision']
    h = rec['history']
    assert ([row['epoch'] for row in h] == list(range(1, len(h) + 1))
            and len(h) >= rec['recipe']['epochs'])
    assert h[-1]['train_error'] == rec['train_error'] and h[-1]['valid_error'] == rec['valid_error']
    assert abs(sum(row['seconds'] for row in h) - rec['seconds']) < 1

@pytest.mark.parametrize('path', FASHION, ids=lambda p: p.stem)
def test_fashion_record(path):
    r = read_record(path.parent, path.stem)
    check_provenance(r['provenance'])
    assert r['recipe']['precision'] == r['provenance']['precision']
    h = r['history']
    assert [row['epoch'] for row in h] == list(range(1, r['recipe']['epochs'] + 1))
    assert abs(h[-1]['valid_error'] - r['valid_error']) < 1e-6
    assert abs(sum(row['seconds'] for row in h) - r['seconds']) < 1
    assert 0 < r['seconds'] <= r['wall_seconds']          # the command's wall time: start-up too
    # 5,000 training images held out to validate, the net trained on the other 55,000
    assert r['recipe']['holdout'] == 5_000
    assert r['train_images'] == 55_000 and r['valid_images'] == 5_000
    assert (r['valid_error_tta'] is not None) == r['recipe']['tta']
    # the seeds scored the 10,000 test images once, at the end; the other runs never looked at them
    scored = path.stem.startswith('seed')
    assert (r['test_images'] == 10_000) if scored else r['test_images'] is None
    assert (r['test_error'] is not None) == scored
    assert (r['test_error_tta'] is not None) == (scored and r['recipe']['tta'])
    # git keeps only the weights a chapter loads: chapter 08's interpretation loads seed 0's
    assert path.with_suffix('.pth').exists() == (path.stem == 'seed0')

def test_demo_seeds_record():
    runs = read_json(RESULTS/'demo_seeds.json')['runs']
    assert (sorted((r['precision'], r['seed']) for r in runs)
            == [(p, s) for p in ('bf16', 'fp32') for s in range(5)])
    for r in runs:
        assert r['precision'] == r['provenance']['precision']
        check_provenance(r['provenance'])
        assert set(r['errors']) == {'plain-20', 'plain-56', 'res-20', 'res-56'} and r['seconds'] > 0

def test_lesson_record():
    "The teacher's guide's timings: every command of the lesson, in its order, timed"
    from resnet_course.cli import LESSON
    rec = read_json(RESULTS/'lesson.json')
    check_provenance(rec['provenance'])
    assert [s['command'] for s in rec['steps']] == LESSON, 'resnet-course record lesson'
    assert all(0 < s['seconds'] < 600 for s in rec['steps'])

def test_solution_records():
    "Records the solutions made in full mode (results/solutions/): each with its provenance"
    for path in sorted(RESULTS.glob('solutions/*.json')):
        rec = read_json(path)
        check_provenance(rec['provenance'], committed=path.stem not in BEFORE_THE_RULE)

@pytest.mark.slow
def test_first_epoch_reproduces(tmp_path):
    """The first epoch of the recorded 12-epoch plain-20 run, trained again here in the record's
    precision, within 2 points of its record. Like with like: a bf16 record is not compared with
    an fp32 run (they differ by more than 2 points in the first epoch), so where the record's
    arithmetic cannot be had natively the test says so and skips. Another CPU or thread count sums
    in another order, which acts like another seed: there the run must stay within the spread
    between seeds, 15 points (measured on an AMD EPYC: seeds 0-4 of this first epoch gave 59-73%
    validation error; seed 0 gave 59% on 1 thread and 55% on 2, against the Xeon's 62%), which
    still fails a net that does not learn (90% at chance)."""
    rec = read_record(RESULTS/'degradation-long', 'plain-20')
    recipe = Recipe.of(rec['recipe'])
    prec = recipe.precision
    if on_gpu() or rec['provenance']['gpu']:
        pytest.skip('the record was made on a CPU: a GPU run is not the same arithmetic')
    if prec == 'bf16' and not cpu_has_bf16():
        pytest.skip('the record was trained in bf16 mixed precision; this CPU has no native '
                    'bfloat16 (emulated, one epoch takes minutes): not compared')
    with pytest.raises(RuntimeError, match='stopped after 1 of 12 epochs'):
        quietly(train_run, recipe, tmp_path, cbs=[Interrupt(1)], progress=False)
    # the run's history so far, in its work folder
    hist, first = read_json(tmp_path/'.plain-20.work'/'history.json'), rec['history'][0]
    assert len(hist) == 1
    p = rec['provenance']
    same = p['cpu'] == cpu_name() and p['threads'] == torch.get_num_threads()
    for k in ('train_error', 'valid_error'):
        assert abs(hist[0][k] - first[k]) <= (0.02 if same else 0.15), (k, hist[0][k], first[k])
    assert abs(hist[0]['train_loss'] - first['train_loss']) <= 0.05
