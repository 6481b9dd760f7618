"""The Imagenette code path without Imagenette: the exact `imagenette_dls` on miniature Imagenettes,
bad input, missing data."""
import shutil, traceback, warnings
from pathlib import Path
import numpy as np
import pytest, torch
from fastai.learner import Learner
from fastai.metrics import accuracy
from fastai.torch_core import set_seed
from torch import nn
from resnet_course.data import (IMAGENETTE_CLASSES, IMAGENETTE_ENV, imagenette_dls, image_files,
                                images_per_class, make_mini_imagenette)
from resnet_course.models import cifar_resnet

NAMES = ['tench', 'English springer', 'cassette player', 'chain saw', 'church', 'French horn',
         'garbage truck', 'gas pump', 'golf ball', 'parachute']

def dls_of(path, **kwargs):
    return imagenette_dls(size=48, bs=8, path=path, presize=64, num_workers=0, **kwargs)

# train loss, valid loss, accuracy of our seeded reference run (CPU, fp32)
EXPECTED_EPOCH = (2.3675, 2.3639, 0.15)

def train_one_epoch(dls):
    "One fastai Learner epoch of a small ResNet; returns its [train loss, valid loss, accuracy]"
    torch.manual_seed(0)
    learn = Learner(dls, cifar_resnet(8, in_channels=3, width=4), loss_func=nn.CrossEntropyLoss(),
                    metrics=accuracy)
    with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-3)
    return learn.recorder.values[-1]

def test_mini_imagenette_layout(mini):
    for split, n in [('train', 4), ('val', 2)]:
        assert sorted(p.name for p in (mini/split).iterdir()) == list(IMAGENETTE_CLASSES)
        assert all(len(list(d.glob('*.JPEG'))) == n for d in (mini/split).iterdir())
    with pytest.raises(ValueError, match='not empty'): make_mini_imagenette(mini)

@pytest.mark.parametrize('kwargs', [dict(n_train=0), dict(n_valid=201), dict(n_train=2.5)])
def test_mini_imagenette_bad_counts(tmp_path, kwargs):
    with pytest.raises(ValueError, match='images per class'):
        make_mini_imagenette(tmp_path/'m', **kwargs)

def test_vocab_splits_and_batch(mini):
    dls = dls_of(mini)
    assert list(dls.vocab) == NAMES
    assert (len(dls.train_ds), len(dls.valid_ds)) == (40, 20)
    assert {p.parent.parent.name for p in dls.train_ds.items} == {'train'}
    assert {p.parent.parent.name for p in dls.valid_ds.items} == {'val'}
    xb, yb = dls.one_batch()
    assert xb.shape == (8, 3, 48, 48) and xb.dtype == torch.float32
    assert yb.shape == (8,) and yb.dtype == torch.int64
    fn, (_, y) = dls.valid_ds.items[-1], dls.valid_ds[-1]
    assert dls.vocab[y] == IMAGENETTE_CLASSES[fn.parent.name] == 'parachute'
    counts = images_per_class(dls)
    assert counts.train.tolist() == [4] * 10 and counts.valid.tolist() == [2] * 10

def test_one_training_epoch(mini):
    "One seeded epoch on the miniature Imagenette gives our reference run's losses and accuracy"
    # Python's, NumPy's and torch's generators: batch order, augmentation
    set_seed(0, reproducible=True)
    train_loss, valid_loss, acc = train_one_epoch(dls_of(mini))
    assert (train_loss, valid_loss, acc) == pytest.approx(EXPECTED_EPOCH, abs=0.02)

def test_environment_variable(mini, no_download, monkeypatch):
    monkeypatch.setenv(IMAGENETTE_ENV, str(mini))
    assert len(dls_of(None).train_ds) == 40

def test_no_data_is_one_clear_error(no_download):
    with pytest.raises(FileNotFoundError) as info: imagenette_dls()
    err = info.value
    msg = str(err)
    for part in ['downloading https://s3.amazonaws.com/fast-ai-imageclas/'
                 'imagenette2-160.tgz failed',
                 'no network', 'tar xzf imagenette2-160.tgz', 'train/ and val/',
                 "fastai's data directory",
                 'imagenette_dls(path=...)', f'{IMAGENETTE_ENV}=/path/to/imagenette2-160']:
        assert part in msg, part
    text = ''.join(traceback.format_exception(err))     # what Python prints if nobody catches it
    assert text.count('Traceback (most recent call last)') == 1 and 'During handling' not in text

def test_missing_layout(tmp_path, no_download, monkeypatch):
    (tmp_path/'train').mkdir()
    with pytest.raises(ValueError, match='no val/ in it. Expected layout: '
                                         'train/<wnid>/\\*.JPEG and val/<wnid>'):
        dls_of(tmp_path)
    with pytest.raises(ValueError, match='no train/ or val/'): dls_of(tmp_path/'train')
    monkeypatch.setenv(IMAGENETTE_ENV, str(tmp_path))
    with pytest.raises(ValueError, match=f'folder in \\${IMAGENETTE_ENV}'): dls_of(None)
    with pytest.raises(FileNotFoundError, match='does not exist'): dls_of(tmp_path/'nowhere')

def test_unknown_class_folder(mini, tmp_path):
    root = Path(shutil.copytree(mini, tmp_path/'m'))
    (root/'val'/'n99999999').mkdir()
    with pytest.raises(ValueError, match='unexpected folder .*n99999999'): image_files(root)

def test_presize_smaller_than_size(mini):
    with pytest.raises(ValueError, match='presize'): imagenette_dls(size=64, presize=48, path=mini)

def test_bad_input_skipped_with_one_warning(mini, tmp_path):
    root = Path(shutil.copytree(mini, tmp_path/'m'))
    good = next((root/'train'/'n01440764').iterdir())
    (root/'train'/'n01440764'/'truncated.JPEG').write_bytes(good.read_bytes()[:200])
    (root/'train'/'n02102040'/'corrupt.jpg').write_bytes(b'\xff\xd8\xff\xe0' + bytes(500))
    (root/'train'/'n02979186'/'labels.csv').write_text('file,label\n')
    (root/'train'/'n03000684'/'.DS_Store').write_bytes(b'\0' * 16)
    (root/'val'/'.hidden_dir').mkdir()
    (root/'train'/'README.txt').write_text('stray file outside the class folders')
    for f in (root/'val'/'n03888257').iterdir(): f.unlink()          # an empty class folder
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        dls = dls_of(root)
    ours = [w for w in caught if 'skipped' in str(w.message)]
    assert len(ours) == 1
    msg = str(ours[0].message)
    for part in ['skipped 7 entries', 'train/README.txt: not in a class folder',
                 'truncated.JPEG: unreadable image', 'corrupt.jpg: unreadable image',
                 'labels.csv: not an image file', '.DS_Store: hidden file',
                 'val/.hidden_dir: hidden file', 'val/n03888257: class without images']:
        assert part in msg, part
    assert (len(dls.train_ds), len(dls.valid_ds)) == (40, 18)
    assert list(dls.vocab) == NAMES                     # the empty class keeps its place
    assert np.isfinite(train_one_epoch(dls)[0])

def test_clean_folder_gives_no_warning(mini):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        image_files(mini)
    assert not [w for w in caught if 'skipped' in str(w.message)]
