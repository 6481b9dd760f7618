"""Sphinx configuration of the course website. Build it with `make docs` (docs/build.py), not sphinx-build:
build.py first writes the pages (plain notebooks) into docs/_nbdev/."""
from nbdev.config import get_config

cfg = get_config()
project = cfg.title
author = cfg.author
copyright = f'the {author}'
html_title = project

extensions = ['myst_nb', 'sphinx-mathjax-offline']   # the second ships MathJax 3 into _static: no CDN
nb_execution_mode = 'off'                             # pages show the committed outputs of the real run
nb_merge_streams = True
nb_ipywidgets_js = {}                                 # MyST-NB would load the widget manager from a CDN
myst_enable_extensions = ['dollarmath', 'amsmath', 'attrs_inline']

html_theme = 'sphinx_book_theme'
html_theme_options = {
    'home_page_in_toc': True,
    'use_download_button': True,       # the page's notebook, served from this site
    'use_fullscreen_button': False,
    'launch_buttons': {},              # no Binder/Colab: they would load from other hosts
    'navbar_persistent': [],           # pydata-sphinx-theme 0.20 would add a second search bar above the page
}
html_static_path = ['_static']
html_favicon = '_static/favicon.svg'   # else browsers ask for /favicon.ico, a 404
html_css_files = ['course.css']
html_context = {'default_mode': 'light'}   # sphinx-book-theme leaves it empty: a console error
