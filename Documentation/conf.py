# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration for toyslab's documentation.
#
# Build from the top of the tree, with warnings as errors:
#
#	sphinx-build -W -b html Documentation build/htmldocs
#
# Only Sphinx itself is needed (Debian: python3-sphinx).  The kernel's
# kernel-doc and automarkup extensions are not available outside a kernel
# tree, so none is used: function names are written as literals.

project = 'toyslab'
author = 'The toyslab developers'
copyright = 'The toyslab developers, GPL-2.0'

extensions = []

root_doc = 'index'
source_suffix = '.rst'
exclude_patterns = []

# The translations are in the same tree, with their own language.
language = 'en'

# Literal blocks are ASCII art, C excerpts and shell sessions: no
# highlighting, so that nothing depends on Pygments' guesses.
highlight_language = 'none'

html_theme = 'alabaster'
html_title = 'toyslab documentation'
html_show_sourcelink = False
