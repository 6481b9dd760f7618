"The why-skips chapter on the classroom demo's nets (the `demo_out` fixture): lesions, loss landscape, refinements, command line."
import contextlib, copy, io, json
import numpy as np
import pytest, torch
from torch import nn
from resnet_course.blocks import ResBlock
from resnet_course.models import cifar_resnet, cifar_plain, custom_resnet
from resnet_course.degradation import recipe_dls, train_eval_dl
from resnet_course.cli import main
from resnet_course.whyskips import (named_blocks, is_downsampling, Deleted, deletable, lesioned, single_lesions,
                                    lesion_increase, filter_normalized_direction, slices_1d, n_dips, roughness,
                                    block_io, PreActBlock, preact_resnet, preact_stem, make_variant, trained_pair,
                                    lesion, landscape)

# The claims of the chapter, with the margins it asserts (see nbs/07_whyskips.ipynb)
LESION_FACTOR = 1.5       # one shape-keeping block deleted: the plain net's mean error increase ≥ this × the residual net's
ROUGHNESS_FACTOR = 1.5    # dips per 1-D slice: plain-56 ≥ this × res-56

def test_deleting_residual_and_plain_blocks():
    res, plain = cifar_resnet(14, 10, 1, 4).eval(), cifar_plain(14, 10, 1, 4).eval()
    assert [is_downsampling(b) for _, b in named_blocks(res)] == [False, False, True, False, True, False]
    assert deletable(res) == [0, 1, 2, 3, 4, 5] and deletable(plain) == [0, 1, 3, 5]
    x = torch.relu(torch.randn(2, 4, 28, 28))
    for net in res, plain: assert torch.equal(Deleted(named_blocks(net)[1][1])(x), x)        # identity
    down = named_blocks(res)[2][1]
    assert torch.equal(Deleted(down)(x), torch.relu(down.shortcut(x)))                       # projection kept
    with pytest.raises(ValueError, match='plain downsampling block cannot be deleted'): lesioned(plain, [2])
    with pytest.raises(ValueError, match='out of range'): lesioned(res, [6])
    # deleting = zeroing the branch (last BN's γ and β); the original net is untouched
    zeroed = copy.deepcopy(res)
    for i in (1, 2, 5):
        bn = named_blocks(zeroed)[i][1].convs[-1][1]
        nn.init.zeros_(bn.weight); nn.init.zeros_(bn.bias)
    xb = torch.randn(4, 1, 28, 28)
    with torch.no_grad(): assert torch.allclose(lesioned(res, [1, 2, 5])(xb), zeroed(xb), atol=1e-5)
    assert all(isinstance(b, ResBlock) for _, b in named_blocks(res))

def test_plain_downsampling_blocks_are_skipped():
    res, plain = cifar_resnet(14, 10, 1, 4).eval(), cifar_plain(14, 10, 1, 4).eval()
    batches = [(torch.randn(8, 1, 28, 28), torch.randint(0, 10, (8,)))]
    s = single_lesions({'plain': plain, 'residual': res}, batches, progress=False).set_index(['net', 'block'])
    assert s.loc['plain'].error.isna().tolist() == [False, False, True, False, True, False]
    assert s.loc['residual'].error.notna().all()
    assert list(lesion_increase(s.reset_index()).index) == [0, 1, 3, 5]

@pytest.fixture(scope='module')
def single20(demo_out):
    pair, recipe = trained_pair(demo_out, 20, progress=False)
    return single_lesions(pair, list(recipe_dls(recipe).valid), progress=False)

def test_lesion_claim(single20):
    "Deleting one shape-keeping block raises the plain net's error far more than the residual net's"
    inc = lesion_increase(single20)
    assert len(inc) == 7
    assert inc.plain.mean() >= LESION_FACTOR * inc.residual.mean()
    assert inc.residual.min() < 0.05 and inc.plain.min() > inc.residual.min()   # the cheapest deletion

def test_filter_normalized_direction():
    net = cifar_resnet(14, 10, 1, 4)
    d = filter_normalized_direction(net, seed=3)
    for name, p in net.named_parameters():
        if p.ndim == 1: assert (d[name] == 0).all()
        else: assert torch.allclose(d[name].flatten(1).norm(dim=1), p.detach().flatten(1).norm(dim=1), rtol=1e-4)

def test_roughness_measure():
    t = np.linspace(-1, 1, 41)
    assert (n_dips(t**2), n_dips(t), n_dips(np.cos(3 * np.pi * t))) == (1, 0, 2)
    assert roughness([t**2, 1e6 * np.cos(3 * np.pi * t)]) == 1.5

def test_landscape_roughness_claim(demo_out):
    "Along random filter-normalised directions the plain-56 loss has more dips than the res-56 loss"
    pair, recipe = trained_pair(demo_out, 56, progress=False)
    batches = list(train_eval_dl(recipe_dls(recipe), 128, seed=recipe['seed']))
    r = {kind: roughness(slices_1d(m, batches, n_dirs=4, n=31, span=0.15, progress=False)[1]) for kind, m in pair.items()}
    assert r['plain'] >= ROUGHNESS_FACTOR * r['residual'], r

@pytest.mark.parametrize('mode', ['train', 'eval'])
def test_zero_init_is_identity_at_init(mode):
    torch.manual_seed(0)
    net = make_variant('zero-init', 20, 8).train(mode == 'train')
    xb = torch.randn(4, 1, 28, 28)
    for (_, block), (inp, out) in zip(named_blocks(net), block_io(net, xb)):
        assert torch.equal(out, torch.relu(block.shortcut(inp)))
        if not is_downsampling(block): assert torch.equal(out, inp)
    with torch.no_grad(): assert torch.allclose(net(xb), lesioned(net, range(9))(xb), atol=1e-5)
    io = block_io(make_variant('original', 20, 8).train(mode == 'train'), xb)
    assert not any(torch.equal(i, o) for (i, o) in io)

def test_preact_block():
    assert PreActBlock(8, 16, stride=2)(torch.randn(2, 8, 14, 14)).shape == (2, 16, 7, 7)
    block = PreActBlock(8, 8)
    nn.init.zeros_(block.convs[-1].weight)
    x = torch.randn(2, 8, 14, 14)
    assert torch.equal(block(x), x)                                   # clean identity path, negatives included
    x0 = x.clone(); PreActBlock(8, 8, bn=False)(x); assert torch.equal(x, x0)
    net = preact_resnet(20, 10, 1, 8)
    assert net(torch.randn(2, 1, 28, 28)).shape == (2, 10)
    assert [is_downsampling(b) for _, b in named_blocks(net)] == [is_downsampling(b) for _, b in named_blocks(cifar_resnet(20, 10, 1, 8))]
    assert custom_resnet([1, 1], [8, 16], 10, PreActBlock, 1, stem=preact_stem, stem_width=8)(torch.randn(2, 1, 28, 28)).shape == (2, 10)
    with pytest.raises(ValueError, match='zero_bn is for ResBlock'): PreActBlock(8, 8, zero_bn=True)
    with pytest.raises(ValueError, match='6n\\+2'): preact_resnet(21)
    with pytest.raises(ValueError, match='valid: original, zero-init, pre-activation'): make_variant('preact', 20)

def test_cli_outputs(demo_out, tmp_path):
    with contextlib.redirect_stdout(io.StringIO()):
        summary = lesion(models=str(demo_out), depth=20, samples=1, out=str(tmp_path))
        r = landscape(models=str(demo_out), depth=20, images=32, grid=3, slices=1, points=5, out=str(tmp_path))
    for name in ('lesion', 'landscape'):
        assert (tmp_path/f'{name}.png').read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    saved = json.loads((tmp_path/'lesion.json').read_text())
    assert saved['summary']['factor'] == pytest.approx(summary['factor'])
    assert {row['net'] for row in saved['single']} == {'plain', 'residual'}
    land = json.loads((tmp_path/'landscape.json').read_text())
    assert np.array(land['plain']['grid']).shape == (3, 3) and set(r) == {'plain', 'residual'}

@pytest.mark.parametrize('argv, message', [
    (['lesion', '--depth', '21'], '6n+2'),
    (['lesion', '--samples', '0'], 'samples must be at least 1'),
    (['landscape', '--grid', '2'], 'grid and points must be at least 3'),
    (['landscape', '--span1d', '-1'], 'must be positive'),
])
def test_cli_bad_input(argv, message, capsys, tmp_path):
    assert main(argv + ['--models', str(tmp_path/'none'), '--out', str(tmp_path/'out')]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count('\n') == 1
    assert not (tmp_path/'none').exists()
