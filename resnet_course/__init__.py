__version__ = "0.1.0"

import warnings
# fastai decorates a few functions with torch.jit.script at import time; recent torch deprecates it.
warnings.filterwarnings('ignore', message=r'`torch\.jit\.script` is deprecated', category=FutureWarning)
