"""Shared fixtures: one classroom demo per test session, one miniature Imagenette,
no network for Imagenette."""
import pytest
from helpers import quietly

@pytest.fixture(scope='session')
def demo_out(tmp_path_factory):
    "Default `demo()` run's folder: plain-20/56, res-20/56 trained (`load_run`), figure, table"
    # imported here: collecting other test files does not need it
    from resnet_course.degradation import demo
    out = tmp_path_factory.mktemp('demo')/'demo_output'
    quietly(demo, out=str(out))
    return out

@pytest.fixture(scope='session')
def mini(tmp_path_factory):
    "A miniature Imagenette: 4 training and 2 validation JPEGs of 40 px per class"
    from resnet_course.data import make_mini_imagenette
    return make_mini_imagenette(tmp_path_factory.mktemp('data')/'mini',
                                n_train=4, n_valid=2, size=40)

@pytest.fixture
def no_download(monkeypatch):
    "No Imagenette environment variable, and fastai's `untar_data` fails as it does without network"
    import resnet_course.data as data
    def fail(url, *args, **kwargs): raise ConnectionError(f'cannot reach {url}: no network')
    monkeypatch.delenv(data.IMAGENETTE_ENV, raising=False)
    monkeypatch.setattr(data, 'untar_data', fail)
