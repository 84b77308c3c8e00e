# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration for toyslab's documentation.
#
# Build it with make htmldocs (scripts/htmldocs.sh), which installs
# Sphinx, extracts the kernel's kernel-doc and its Sphinx extension from
# Debian's linux-source-6.1 into build/kernel-doc/ and runs
#
#	sphinx-build -W -b html Documentation build/htmldocs
#
# with every warning an error.  TOYSLAB_KERNELDOC points at the extracted
# files; by default they are looked for in build/kernel-doc/.  The Chinese
# pages are a project of their own, Documentation/translations/zh_CN/,
# whose conf.py reads this one.

import os
import sys

srctree = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
kerneldoc = os.environ.get('TOYSLAB_KERNELDOC',
                           os.path.join(srctree, 'build', 'kernel-doc'))
if not os.path.exists(os.path.join(kerneldoc, 'scripts', 'kernel-doc')):
    raise RuntimeError('no kernel-doc in %s: build with make htmldocs' %
                       kerneldoc)
sys.path.insert(0, os.path.join(kerneldoc, 'Documentation', 'sphinx'))

project = 'toyslab'
author = 'The toyslab developers'
copyright = 'The toyslab developers, GPL-2.0'

# The kernel's kernel-doc directive, reading the module's source files
# (make htmldocs gives it a copy, see scripts/htmldocs.sh); Graphviz
# figures from the .dot files of figures/, as SVG; slabpic, which draws
# a recorded snapshot of a cache's views (sphinx/slabfigure.py); and
# predict, the labs' predictions (sphinx/predict.py).
sys.path.insert(0, os.path.join(srctree, 'Documentation', 'sphinx'))
extensions = ['kerneldoc', 'sphinx.ext.graphviz', 'slabfigure', 'predict']
graphviz_output_format = 'svg'
kerneldoc_bin = os.path.join(kerneldoc, 'scripts', 'kernel-doc')
kerneldoc_srctree = os.environ.get('TOYSLAB_SRCTREE', srctree)

root_doc = 'index'
source_suffix = '.rst'
exclude_patterns = ['translations']

language = 'en'

# Literal blocks are ASCII art, C excerpts and shell sessions: no
# highlighting, so that nothing depends on Pygments' guesses.
highlight_language = 'none'

html_theme = 'alabaster'
html_title = 'toyslab documentation'
html_show_sourcelink = False
# No copy of the .rst sources in the build: they hold the teacher's
# answers (".. only:: teacher", built with -t teacher by make htmldocs
# TEACHER=1), which the students' pages must not.  Sphinx's search reads
# the HTML pages themselves for its summaries.
html_copy_source = False
