"Helpers shared by the test files."
import contextlib, io
from pathlib import Path

PNG = b'\x89PNG\r\n\x1a\n'

def quietly(f, *args, **kwargs):
    "Call `f` with its printing (and fastai's progress bars) swallowed"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return f(*args, **kwargs)

def is_png(path) -> bool: return Path(path).read_bytes()[:8] == PNG

def one_error_line(capsys, cmd:str) -> str:
    "The one line a `resnet-course <cmd>` error prints, checked: one line, its prefix, no traceback"
    err = capsys.readouterr().err
    assert (err.count('\n') == 1 and err.startswith(f'resnet-course {cmd}: error: ')
            and 'Traceback' not in err), err
    return err
