"""Bad input on the command line: every option of every `resnet-course` command, one line and
exit status 2, before any training; damaged files in output folders named; `--help` everywhere."""
import pytest
from fastcore.xtras import modified_env
from helpers import one_error_line
from resnet_course.cli import COMMANDS, main

BAD = [  # (argv, what the one error line must say)
    (['demo', '--seed', '-1'], 'seed must be an integer ≥ 0, got -1'),
    (['demo', '--depths', '20'], 'give at least two depths'),
    (['demo', '--depths', '20', '54'], '6n+2'),
    (['demo', '--width', '0'], 'width must be an integer ≥ 1, got 0'),
    (['demo', '--n-train', '0'], 'n_train must be an integer ≥ 1, got 0'),
    (['demo', '--n-train', '100000'], 'n_train must be an integer from 1 to 8000'),
    (['demo', '--epochs', '0'], 'nothing to train: epochs + freeze_epochs must be at least 1'),
    (['demo', '--epochs', '-1'], 'epochs must be an integer ≥ 0'),
    (['demo', '--bs', '0'], 'bs must be an integer ≥ 1'),
    (['demo', '--bs', '5000'], 'bs must be an integer from 1 to 2000'),
    (['demo', '--lr', '0'], 'lr must be a number > 0, got 0'),
    (['demo', '--lr', 'fast'], "argument --lr: invalid float value: 'fast'"),
    (['demo', '--epochs', '2.5'], "argument --epochs: invalid int value: '2.5'"),
    (['demo', '--data', '/nowhere'],
     'Fashion-MNIST file train-images-idx3-ubyte[.gz] not found in /nowhere'),
    (['demo', '--colour', 'red'], 'unrecognized arguments: --colour red'),
    (['demo', '--opt', 'adamw'], "opt must be one of 'adam', 'sgd', got 'adamw'"),
    (['demo', '--moms', '0.9', '0.9', '1.5'], 'moms must be None'),
    (['demo', '--moms', '0.9', '0.9'], 'argument --moms: expected 3 arguments'),
    (['demo', '--moms', '0.9', 'x', '0.9'], "argument --moms: invalid float value: 'x'"),
    (['summary', 'vgg16'], "unknown net 'vgg16'; valid names"),
    (['summary', 'resnet35'], 'valid names: resnet18/34/50/101/152'),
    (['summary', 'res-21'], '6n+2'),
    (['summary', 'resnet18', '--size', '0'], 'size must be an integer ≥ 1, got 0'),
    (['summary', 'resnet18', '--in-channels', '0'], 'in_channels must be an integer ≥ 1, got 0'),
    (['summary', 'resnet18', '--n-classes', '-3'], 'n_classes must be an integer ≥ 1, got -3'),
    (['summary', 'res-20', '--width', '0'], 'width must be an integer ≥ 1, got 0'),
    (['summary'], 'the following arguments are required: arch'),
    (['gradients', '--depths', '9'], '6n+2'),
    (['gradients', '--act', 'tanh'], 'unknown activation'),
    (['gradients', '--init', 'xavier'], 'valid: pytorch, he'),
    (['gradients', '--seeds', '0'], 'seeds must be an integer ≥ 1, got 0'),
    (['gradients', '--bs', '0'], 'bs must be an integer from 1 to 8000, got 0'),
    (['gradients', '--bs', '9000'], 'bs must be an integer from 1 to 8000, got 9000'),
    (['gradients', '--width', '0'], 'width must be an integer ≥ 1, got 0'),
    (['train', '--schedule', 'fit'], 'schedule must be one of fine_tune, one_cycle'),
    (['train', '--epochs', '-1'], 'epochs must be an integer ≥ 0'),
    (['train', '--freeze-epochs', '-1'], 'freeze_epochs must be an integer ≥ 0'),
    (['train', '--epochs', '0', '--freeze-epochs', '0'], 'nothing to train'),
    (['train', '--lr', '0'], 'lr must be a number > 0'),
    (['train', '--arch', 'vgg16'], 'unknown net'),
    (['train', '--bs', '0'], 'bs must be an integer ≥ 1'),
    (['train', '--size', '4'], 'size must be an integer ≥ 8, got 4'),
    (['train', '--seed', '-1'], 'seed must be an integer ≥ 0'),
    (['lesion', '--depth', '21'], '6n+2'),
    (['lesion', '--samples', '0'], 'samples must be an integer ≥ 1, got 0'),
    (['lesion', '--seed', '-2'], 'seed must be an integer ≥ 0'),
    (['landscape', '--depth', '22'], '6n+2'),
    (['landscape', '--grid', '2'], 'grid must be an integer ≥ 3, got 2'),
    (['landscape', '--points', '1'], 'points must be an integer ≥ 3, got 1'),
    (['landscape', '--slices', '0'], 'slices must be an integer ≥ 1, got 0'),
    (['landscape', '--images', '0'], 'images must be an integer from 1 to 2000'),
    (['landscape', '--images', '5000'], 'images must be an integer from 1 to 2000'),
    (['landscape', '--span2d', '0'], 'span2d must be a number > 0'),
    (['landscape', '--span1d', '-1'], 'span1d must be a number > 0'),
    (['fashion', '--epochs', '-1'], 'epochs must be an integer ≥ 0'),
    (['fashion', '--epochs', '0'], 'nothing to train'),
    (['fashion', '--bs', '0'], 'bs must be an integer ≥ 1'),
    (['fashion', '--lr', '0'], 'lr must be a number > 0'),
    (['fashion', '--label-smoothing', '2'], 'label_smoothing must be a number ≥ 0 and ≤ 1'),
    (['fashion', '--net', 'vgg16'], 'unknown net'),
    (['fashion', '--net', 'res-21'], '6n+2'),
    (['fashion', '--width', '0'], 'width must be an integer ≥ 1'),
    (['fashion', '--stem-stride', '3'], 'stem_stride must be an integer from 1 to 2'),
    (['fashion', '--pad', '5'], 'pad must be an integer from 0 to 4'),
    (['fashion', '--n-train', '5'], 'bs must be an integer from 1 to 5, got 256'),
    (['fashion', '--n-train', '70000'], 'n_train must be an integer from 1 to '),
    (['fashion', '--seed', '-1'], 'seed must be an integer ≥ 0'),
    (['fashion', '--holdout', '-1'], 'holdout must be an integer ≥ 0'),
    (['fashion', '--data', '/nowhere'], 'not found in /nowhere'),
] + [([cmd, '--precision', 'half'], "precision='half' is not a precision; "
      "valid: auto, fp32, bf16, fp16") for cmd in ('demo', 'train', 'fashion')]

@pytest.mark.parametrize('argv, says', BAD, ids=[' '.join(a) for a, _ in BAD])
def test_bad_value_is_one_line(argv, says, tmp_path, capsys, no_download):
    out = (['--out', str(tmp_path/'out')]
           if argv[0] in ('demo', 'gradients', 'train', 'lesion', 'landscape', 'fashion') else [])
    models = ['--models', str(tmp_path/'models')] if argv[0] in ('lesion', 'landscape') else []
    data = ['--data', str(tmp_path/'nowhere')] if argv[0] == 'train' else []
    assert main(argv + out + models + data) == 2
    assert says in one_error_line(capsys, argv[0])
    # refused before anything ran
    assert not (tmp_path/'models').exists() and not (tmp_path/'out').exists()

@pytest.mark.parametrize('cmd', list(COMMANDS))
def test_help(cmd, capsys):
    with pytest.raises(SystemExit) as e: main([cmd, '--help'])
    assert e.value.code == 0 and f'usage: resnet-course {cmd}' in capsys.readouterr().out

def test_unknown_command_and_no_command(capsys):
    assert main(['frobnicate']) == 2 and 'commands:' in capsys.readouterr().err
    assert main([]) == 2
    assert main(['--help']) == 0 and 'commands:' in capsys.readouterr().out

@pytest.mark.parametrize('value', ['half', 'fp8', 'int8'])
def test_bad_precision_fails_first(value, capsys, tmp_path):
    with modified_env(RESNET_COURSE_PRECISION=value):
        assert main(['demo', '--out', str(tmp_path/'d')]) == 2
    err = one_error_line(capsys, 'demo')
    assert (f"RESNET_COURSE_PRECISION={value!r} is not a precision; "
            "valid: auto, fp32, bf16, fp16") in err
    assert not (tmp_path/'d').exists()

def test_fp16_on_a_cpu(capsys, tmp_path):
    import torch
    if torch.cuda.is_available(): pytest.skip('this machine has a GPU: fp16 is valid here')
    with modified_env(RESNET_COURSE_PRECISION='fp16'):
        assert main(['demo', '--out', str(tmp_path/'d')]) == 2
    assert 'fp16 needs a CUDA GPU' in one_error_line(capsys, 'demo')
    assert main(['fashion', '--precision', 'fp16', '--out', str(tmp_path/'f')]) == 2
    assert 'precision=fp16 needs a CUDA GPU' in one_error_line(capsys, 'fashion')
    assert not (tmp_path/'d').exists() and not (tmp_path/'f').exists()

def test_damaged_run_is_named(mini, tmp_path, capsys):
    "A run's damaged recipe file (in its work folder) is named, and nothing is trained"
    work = tmp_path/'run'/'.res-8.work'
    (work/'models').mkdir(parents=True)
    (work/'models'/'epoch_0.pth').write_bytes(b'')
    (work/'recipe.json').write_text('{"net": "res-8", ')
    assert main(['train', '--data', str(mini), '--size', '32', '--arch', 'res-8',
                 '--out', str(tmp_path/'run')]) == 2
    assert f'damaged file {work}/recipe.json' in one_error_line(capsys, 'train')

def test_damaged_record_is_named(tmp_path, capsys):
    for name in ('plain-20', 'res-20'):
        (tmp_path/f'{name}.json').write_text('{"name": "plain-20"')
        (tmp_path/f'{name}.pth').write_bytes(b'')
    assert main(['lesion', '--models', str(tmp_path), '--out', str(tmp_path/'out')]) == 2
    assert f'damaged file {tmp_path}/plain-20.json' in one_error_line(capsys, 'lesion')

def test_fashion_command_quick(tmp_path, capsys):
    """The `fashion` command on a small subset, in the precision its option asks for (whatever
    the environment says): its record, and a second call that trains nothing"""
    from resnet_course.core import read_json
    out = tmp_path/'f'
    args = ['fashion', '--out', str(out), '--n-train', '500', '--epochs', '1', '--holdout', '500',
            '--data', 'embedded', '--precision', 'fp32', '--width', '8']
    assert main(args) == 0
    r = read_json(out/'seed0.json')
    # 500 held-out training images validate; the 2,000 embedded test images are scored at the end
    assert (r['recipe']['epochs'], len(r['history']), r['train_images'], r['valid_images'],
            r['test_images']) == (1, 1, 500, 500, 2000)
    assert (0 <= r['valid_error_tta'] <= 0.9 and 0 <= r['test_error_tta'] <= 0.9
            and r['wall_seconds'] > r['seconds'] > 0 and r['params'] > 0
            and (out/'seed0.pth').exists())
    assert (r['recipe']['width'] == 8
            and r['recipe']['precision'] == r['provenance']['precision'] == 'fp32')
    capsys.readouterr()
    assert main(args) == 0 and 'test accuracy' in capsys.readouterr().out
    assert read_json(out/'seed0.json') == r                           # reused, not retrained
    assert main(args[:-2] + ['--width', '16']) == 2                   # never overwritten
    assert 'holds a finished run of seed0 with another recipe' in one_error_line(capsys, 'fashion')
    assert read_json(out/'seed0.json') == r
