"Bad input and the command line of the model library (the notebooks test the models themselves)."
import subprocess, sys
import pytest, torch
from resnet_course.models import custom_resnet, resnet, cifar_resnet, cifar_plain, resnet34
from resnet_course.blocks import Bottleneck

@pytest.mark.parametrize('args, message', [
    (([2, 2], [64, 128, 256]), 'same length'),
    (([], []), 'must not be empty'),
    (([2, 0], [64, 128]), 'block_sizes[1]'),
    (([2, -1], [64, 128]), 'block_sizes[1]'),
    (([2, 2], [64, 0]), 'feature_map_sizes[1]'),
    (([2, 2.5], [64, 128]), 'block_sizes[1]'),
])
def test_custom_resnet_bad_config(args, message):
    with pytest.raises(ValueError, match=message.replace('[', r'\[').replace(']', r'\]')):
        custom_resnet(*args, n_classes=10)

@pytest.mark.parametrize('n_classes', [0, -3])
def test_bad_n_classes(n_classes):
    with pytest.raises(ValueError, match='n_classes'): custom_resnet([1], [8], n_classes)
    with pytest.raises(ValueError, match='n_classes'): resnet(18, n_classes)
    with pytest.raises(ValueError, match='n_classes'): cifar_resnet(20, n_classes)

def test_unknown_depth_lists_valid_ones():
    with pytest.raises(ValueError, match='valid depths: 18, 34, 50, 101, 152'): resnet(42)

@pytest.mark.parametrize('depth', [19, 21, 6, 2, 0])
def test_cifar_depth_must_be_6n_plus_2(depth):
    with pytest.raises(ValueError, match='6n\\+2'): cifar_resnet(depth)
    with pytest.raises(ValueError, match='6n\\+2'): cifar_plain(depth)

def test_bad_width_and_bottleneck():
    with pytest.raises(ValueError, match='width'): cifar_resnet(20, width=0)
    with pytest.raises(ValueError, match='divisible by 4'):
        custom_resnet([1], [30], 10, block=Bottleneck)

def test_wrong_input_channels_names_both_counts():
    model = cifar_resnet(20, in_channels=1, width=4)
    with pytest.raises(ValueError, match='1 channels.*got 3 channels'):
        model(torch.randn(2, 3, 28, 28))
    with pytest.raises(ValueError, match='with 3 channels'): resnet34(10)(torch.randn(3, 64, 64))

def run_cli(*args):
    return subprocess.run([sys.executable, '-c',
                           'from resnet_course.cli import main; raise SystemExit(main())', *args],
                          capture_output=True, text=True, timeout=120)

def test_summary_command():
    r = run_cli('summary', 'resnet34', '--size', '224')
    assert r.returncode == 0, r.stderr
    assert '512×7×7' in r.stdout and 'total: 21,797,672 parameters' in r.stdout
    r = run_cli('summary', 'plain-56', '--size', '28', '--in-channels', '1', '--n-classes', '10')
    assert r.returncode == 0 and '64×7×7' in r.stdout
