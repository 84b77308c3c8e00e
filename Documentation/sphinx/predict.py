# SPDX-License-Identifier: GPL-2.0
"""The predict directive: one prediction a lab asks of the student.

    .. predict:: ID
       :command: cat caches/c128/cpus
       :key: 0
       :column: avail

       CPU 0's ``avail``.

shows "Predict ID: the question" in the page ("预测" in the Chinese
pages), as an item of a list that the predictions next to it share.  The options say where
the true value is in the session below (selftests/toyslab/labs.sh gives
the grammar, lab_grade.sh reads it): make answers-template lists the
questions, make grade compares a student's answers with what the lab
prints in the VM.  Sphinx checks the options' names only; labs_test.sh
and make lint check that each prediction finds its value.
"""

from docutils import nodes
from docutils.parsers.rst import Directive, directives


class PredictDirective(Directive):
    required_arguments = 1
    has_content = True
    option_spec = {'command': directives.unchanged_required,
                   'key': directives.unchanged_required,
                   'column': directives.unchanged_required,
                   'words': directives.unchanged_required}

    def run(self):
        if 'command' not in self.options or not self.content:
            raise self.error('predict: needs a :command: and a question')
        env = self.state.document.settings.env
        env.note_dependency(__file__)
        question = ' '.join(line.strip() for line in self.content)
        text, messages = self.state.inline_text(question, self.lineno)
        language = env.config.language or ''
        label = '预测 ' if language.startswith('zh') else 'Predict '
        para = nodes.paragraph(classes=['predict'])
        para += nodes.strong(text=label)
        para += nodes.literal(text=self.arguments[0])
        para += nodes.Text(': ')
        para.extend(text)
        item = nodes.list_item()
        item += para
        return [nodes.bullet_list('', item, classes=['predict'])] + messages


def merge_predictions(app, doctree):
    """Make the predictions that follow each other one list."""
    merged = set()
    for first in list(doctree.traverse(nodes.bullet_list)):
        if 'predict' not in first['classes'] or id(first) in merged:
            continue
        siblings = first.parent.children
        index = next(i for i, n in enumerate(siblings) if n is first)
        while index + 1 < len(siblings):
            node = siblings[index + 1]
            if not (isinstance(node, nodes.bullet_list) and
                    'predict' in node['classes']):
                break
            first.extend(node.children)
            del siblings[index + 1]
            merged.add(id(node))


def setup(app):
    app.add_directive('predict', PredictDirective)
    app.connect('doctree-read', merge_predictions)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
