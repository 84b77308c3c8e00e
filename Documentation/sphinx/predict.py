# SPDX-License-Identifier: GPL-2.0
"""The predict directive: one prediction a lab asks of the student.

    .. predict:: ID
       :command: cat caches/c128/cpus
       :key: 0
       :column: avail

       CPU 0's ``avail``.

shows "Predict ID: the question" in the page ("预测" in the Chinese
pages).  The options say where
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
        question = ' '.join(line.strip() for line in self.content)
        text, messages = self.state.inline_text(question, self.lineno)
        language = self.state.document.settings.env.config.language or ''
        label = '预测 ' if language.startswith('zh') else 'Predict '
        para = nodes.paragraph(classes=['predict'])
        para += nodes.strong(text=label)
        para += nodes.literal(text=self.arguments[0])
        para += nodes.Text(': ')
        para.extend(text)
        return [para] + messages


def setup(app):
    app.add_directive('predict', PredictDirective)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
