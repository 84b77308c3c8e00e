# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration of the Chinese pages: the English configuration
# (../../conf.py), in Chinese.  make htmldocs builds them into
# build/htmldocs/zh_CN/.  Sphinx splits Chinese text into words for the
# search index with jieba (Debian's python3-jieba), so that a search for
# 回收器 finds the pages that use it.

import os

_conf = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                     '..', '..', 'conf.py')
_english = {'__file__': _conf}
with open(_conf, encoding='utf-8') as _f:
    exec(compile(_f.read(), _conf, 'exec'), _english)
globals().update({k: v for k, v in _english.items() if not k.startswith('_')})

language = 'zh_CN'
html_title = 'toyslab 文档'
html_search_language = 'zh'

# The disclaimer is only ever included.
exclude_patterns = ['disclaimer-zh_CN.rst']

# jieba's own dictionary would split some of the glossary's terms (回收器
# into 回收 and 器, and a one-character word is not indexed): it learns
# every term of glossary.rst's 中文 column first, so that a search for the
# term finds the pages that use it.
try:
    import logging
    import re
    import jieba
except ImportError:
    jieba = None
if jieba:
    jieba.setLogLevel(logging.WARNING)
    _glossary = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                             'glossary.rst')
    with open(_glossary, encoding='utf-8') as _f:
        _column = 0
        for _line in _f:
            if _line.startswith('   * - '):
                _column = 1
            elif _line.startswith('     - '):
                _column += 1
                if _column == 2:
                    for _word in re.split(r'[\s，、（）()]+', _line):
                        if re.search(r'[\u4e00-\u9fff]', _word) and len(_word) > 1:
                            jieba.add_word(_word)
