# SPDX-License-Identifier: GPL-2.0
"""The slabpic directive: a cache's picture, drawn at build time.

    .. slabpic:: figures/NAME.snap
       :caption: One sentence, with inline markup.
       :no-arrays:

draws the recorded snapshot of a cache's debugfs views (a bundle, see
scripts/slabpic.py) as an SVG inline in the HTML page, with the caption
under it; :no-arrays: leaves the arrays out.  The snapshot's path is
relative to the page.  Slab rows are narrower than slabpic.py's default,
so that the picture keeps its size in the page's column.
"""

import os
import sys

from docutils import nodes
from docutils.parsers.rst import Directive, directives

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..',
                                'scripts'))
import slabpic  # noqa: E402

ROW_WIDTH = 480


class SlabpicDirective(Directive):
    required_arguments = 1
    option_spec = {'caption': directives.unchanged,
                   'no-arrays': directives.flag}

    def run(self):
        env = self.state.document.settings.env
        rel, path = env.relfn2path(self.arguments[0])
        env.note_dependency(rel)
        env.note_dependency(slabpic.__file__)
        if not os.path.exists(path):
            raise self.error('slabpic: no snapshot %s' % rel)
        count = env.temp_data.get('slabpic_count', 0) + 1
        env.temp_data['slabpic_count'] = count
        svg = slabpic.render(slabpic.load(path), '-fig%d' % count,
                             ROW_WIDTH, 'no-arrays' not in self.options)
        svg = svg.replace('<svg ', '<svg style="max-width: 100%; '
                          'height: auto" ', 1)
        figure = nodes.figure(classes=['slabpic'])
        figure += nodes.raw('', svg, format='html')
        caption = self.options.get('caption')
        if caption:
            text, messages = self.state.inline_text(caption, self.lineno)
            figure += nodes.caption(caption, '', *text)
            return [figure] + messages
        return [figure]


def setup(app):
    app.add_directive('slabpic', SlabpicDirective)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
