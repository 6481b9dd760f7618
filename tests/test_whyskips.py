"""The why-skips chapter's claims on the classroom demo's nets (the `demo_out` fixture),
and its commands."""
import numpy as np
import pytest
from helpers import is_png, quietly
from resnet_course.core import read_json
from resnet_course.runs import recipe_dls, train_eval_dl
from resnet_course.whyskips import (single_lesions, lesion_increase, slices_1d, roughness,
                                    trained_pair, lesion, landscape)

# The claims of the chapter, with the margins it asserts (see nbs/07_whyskips.ipynb)
# one shape-keeping block deleted: the plain net's mean error increase ≥ this × the residual net's
LESION_FACTOR = 1.5
ROUGHNESS_FACTOR = 1.5    # dips per 1-D slice: plain-56 ≥ this × res-56

@pytest.fixture(scope='module')
def single20(demo_out):
    pair, recipe = trained_pair(demo_out, 20, progress=False)
    return single_lesions(pair, list(recipe_dls(recipe).valid), progress=False)

def test_lesion_claim(single20):
    "Deleting one shape-keeping block raises the plain net's error far more than the residual net's"
    inc = lesion_increase(single20)
    assert len(inc) == 7
    assert inc.plain.mean() >= LESION_FACTOR * inc.residual.mean()
    # the cheapest deletion
    assert inc.residual.min() < 0.05 and inc.plain.min() > inc.residual.min()

def test_landscape_roughness_claim(demo_out):
    "Along random filter-normalised directions the plain-56 loss has more dips than the res-56 loss"
    pair, recipe = trained_pair(demo_out, 56, progress=False)
    batches = list(train_eval_dl(recipe_dls(recipe), 128, seed=recipe.seed))
    r = {kind: roughness(slices_1d(m, batches, n_dirs=4, n=31, span=0.15, progress=False)[1])
         for kind, m in pair.items()}
    assert r['plain'] >= ROUGHNESS_FACTOR * r['residual'], r

def test_cli_outputs(demo_out, tmp_path):
    summary = quietly(lesion, models=str(demo_out), depth=20, samples=1, out=str(tmp_path))
    r = quietly(landscape, models=str(demo_out), depth=20, images=32, grid=3, slices=1, points=5,
                out=str(tmp_path))
    for name in ('lesion', 'landscape'): assert is_png(tmp_path/f'{name}.png')
    saved = read_json(tmp_path/'lesion.json')
    assert saved['summary']['factor'] == pytest.approx(summary['factor'])
    assert {row['net'] for row in saved['single']} == {'plain', 'residual'}
    land = read_json(tmp_path/'landscape.json')
    assert np.array(land['plain']['grid']).shape == (3, 3) and set(r) == {'plain', 'residual'}

