"""Sphinx configuration of the course website. Build it with `make docs` (docs/build.py), not
sphinx-build: build.py first writes the pages (plain notebooks) into docs/_nbdev/, and afterwards
ships MathJax."""
from nbdev.config import get_config

cfg = get_config()
project = cfg.title
author = cfg.author
copyright = f'the {author}'
html_title = project

extensions = ['myst_nb']
nb_execution_mode = 'off'            # pages show the committed outputs of the real run
nb_merge_streams = True
nb_ipywidgets_js = {}                # MyST-NB would load the widget manager from a CDN
myst_enable_extensions = ['dollarmath', 'amsmath', 'attrs_inline', 'fieldlist']

# MathJax 3 from this site, not a CDN: build.py copies these components from sphinx-mathjax-offline.
# Not its 1.2 MB `tex-chtml.js`: the same TeX input and HTML output without the context
# menu (0.4 MB).
mathjax_path = 'mathjax/startup.js'
mathjax3_config = {'loader': {'load': ['input/tex', 'output/chtml', 'a11y/assistive-mml']}}

html_theme = 'sphinx_book_theme'
html_theme_options = {
    'home_page_in_toc': True,
    'use_download_button': True,     # the page's notebook (build.py puts the one of nbs/ there)
    'use_fullscreen_button': False,
    'launch_buttons': {},            # no Binder/Colab buttons: each chapter has plain links instead
    'navbar_persistent': [],         # pydata-sphinx-theme 0.20 would add a second search bar
}
html_static_path = ['_static']
html_favicon = '_static/favicon.svg'   # else browsers ask for /favicon.ico, a 404
html_css_files = ['course.css']
html_js_files = [('course.js', {'defer': 'defer'})]   # after searchtools.js, which it adjusts
html_context = {'default_mode': 'light'}   # sphinx-book-theme leaves it empty: a console error
