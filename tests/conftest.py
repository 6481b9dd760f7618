"Shared fixtures: one classroom demo run per test session, reused by every test file that needs trained nets."
import contextlib, io
import pytest

@pytest.fixture(scope='session')
def demo_out(tmp_path_factory):
    "Folder of one `demo()` run with the default options: plain-20/56 and res-20/56 trained (`load_trained`), figure, table"
    from resnet_course.degradation import demo      # imported here: collecting other test files does not need it
    out = tmp_path_factory.mktemp('demo')/'demo_output'
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()): demo(out=str(out))
    return out
