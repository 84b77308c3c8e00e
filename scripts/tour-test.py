#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Usage: scripts/tour-test.py PAGE.html

make tour's browser test: Debian's headless Chromium (installed through
scripts/apt-install.sh) loads the tour page and must log no console
message at all (an error, a failed load, a warning); the DOM it builds
must hold every step with its two figures, and as many SVG pictures and
object cells as the file does, so that nothing was lost to bad markup;
and a screenshot of each step alone (PAGE.html#step-N) must show its
pictures: their legend's colours and enough drawn pixels.  The
screenshots are left beside the page, step-N.png.  Fails, saying why, on
the first step that does not hold.  Debian's python3, for its
python3-pil that counts the screenshots' colours.
"""

import base64
import fcntl
import json
import os
import re
import select
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import slabpic  # noqa: E402

WINDOW = (1600, 1200)
TIMEOUT = 60		# seconds Chromium may take to answer
# The legend's swatches are 14 pixels square, their outline included; a
# picture shown at half its size still has 6 x 6 pixels of each colour.
MIN_STATE_PIXELS = 36
# The two pictures, their text and cells, cover far more than this share
# of a step's screenshot; a blank or text-only step does not.
MIN_INK = 0.05


class Browser:
    """One headless Chromium, driven over its DevTools pipe (fds 3, 4)."""

    def __init__(self):
        cmd_r, self.cmd_w = os.pipe()
        self.resp_r, resp_w = os.pipe()

        def fds():
            # Above 4 first, so that neither end overwrites the other.
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
                    for fd in (cmd_r, resp_w)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.proc = subprocess.Popen(
            ['chromium', '--headless', '--no-sandbox', '--disable-gpu',
             '--hide-scrollbars', '--remote-debugging-pipe',
             '--no-first-run', '--user-data-dir=' + tempfile.mkdtemp(),
             'about:blank'],
            close_fds=False, preexec_fn=fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(cmd_r)
        os.close(resp_w)
        self.buf = b''
        self.next_id = 0
        self.events = []
        self.session = None
        target = self.call('Target.createTarget', url='about:blank')
        self.session = self.call('Target.attachToTarget', flatten=True,
                                 targetId=target['targetId'])['sessionId']
        for domain in ('Page', 'Runtime', 'Log'):
            self.call(domain + '.enable')
        self.call('Emulation.setDeviceMetricsOverride', width=WINDOW[0],
                  height=WINDOW[1], deviceScaleFactor=1, mobile=False)

    def receive(self):
        while b'\0' not in self.buf:
            ready, _, _ = select.select([self.resp_r], [], [], TIMEOUT)
            chunk = os.read(self.resp_r, 1 << 20) if ready else b''
            if not chunk:
                raise RuntimeError('Chromium stopped answering')
            self.buf += chunk
        msg, self.buf = self.buf.split(b'\0', 1)
        return json.loads(msg)

    def call(self, method, **params):
        self.next_id += 1
        msg = {'id': self.next_id, 'method': method, 'params': params}
        if self.session:
            msg['sessionId'] = self.session
        os.write(self.cmd_w, json.dumps(msg).encode() + b'\0')
        while True:
            reply = self.receive()
            if reply.get('id') == self.next_id:
                if 'error' in reply:
                    raise RuntimeError('%s: %s' % (method, reply['error']))
                return reply['result']
            self.events.append(reply)

    def wait_for(self, method):
        while True:
            for i, event in enumerate(self.events):
                if event.get('method') == method:
                    del self.events[i]
                    return event
            self.events.append(self.receive())

    def evaluate(self, expression):
        result = self.call('Runtime.evaluate', expression=expression,
                           awaitPromise=True, returnByValue=True)
        if 'exceptionDetails' in result:
            raise RuntimeError('%s: %s' % (expression,
                                           result['exceptionDetails']))
        return result['result'].get('value')

    def console(self):
        """What the page said: console calls, exceptions, log entries."""
        said = []
        for event in self.events:
            method, params = event.get('method'), event.get('params', {})
            if method == 'Runtime.consoleAPICalled':
                said.append('console.%s: %s' % (params['type'], [
                    a.get('value', a.get('description'))
                    for a in params.get('args', [])]))
            elif method == 'Runtime.exceptionThrown':
                said.append('exception: %s' % params['exceptionDetails'])
            elif method == 'Log.entryAdded':
                entry = params['entry']
                said.append('%s: %s' % (entry['level'], entry['text']))
        self.events = []
        return said

    def close(self):
        self.proc.kill()
        self.proc.wait()


def count(pattern, text):
    return len(re.findall(pattern, text))


# What the DOM must hold, as CSS selectors and the file's markup.
COUNTS = (
    ('steps', 'section.step', r'<section class="step" id="step-\d+"'),
    ('figures', 'figure.before, figure.after',
     r'<figure class="(?:before|after)"'),
    ('pictures', 'svg.slabpic', r'<svg [^>]*class="slabpic"'),
    ('object cells', 'svg.slabpic rect.obj', r'<rect [^>]*class="obj obj-'),
    ('array entries', 'svg.slabpic rect.entry',
     r'<rect [^>]*class="entry entry-'),
)


def check_dom(browser, source):
    """The DOM Chromium built holds what the file says it should."""
    errors = []
    steps = count(COUNTS[0][2], source)
    if steps == 0:
        errors.append('the page has no step')
    for what, selector, pattern in COUNTS:
        want = count(pattern, source)
        got = browser.evaluate('document.querySelectorAll("%s").length'
                               % selector)
        if want != got:
            errors.append('%s: the file has %d, the DOM %d' %
                          (what, want, got))
    if count(COUNTS[1][2], source) != 2 * steps:
        errors.append('not two figures in every step')
    if re.search(r'(?:src|href)="(?:https?:)?//', source):
        errors.append('the page loads something from outside')
    return errors, steps


# Show one step alone, then wait for two frames so that it is painted.
SHOW_STEP = """new Promise(done => {
    location.hash = "#step-%d";
    requestAnimationFrame(() => requestAnimationFrame(() => done(
        [...document.querySelectorAll("section.step")]
            .filter(s => s.offsetHeight > 0).map(s => s.id))));
})"""


def hex_rgb(colour):
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def check_screenshot(png):
    from PIL import Image

    with Image.open(png) as image:
        width, height = image.size
        colours = image.convert('RGB').getcolors(width * height)
    counts = {rgb: n for n, rgb in colours}
    errors = []
    for state, _, fill in slabpic.STATES:
        n = counts.get(hex_rgb(fill), 0)
        if state != '.' and n < MIN_STATE_PIXELS:
            errors.append('only %d pixels of state %s' % (n, state))
    ink = width * height - counts.get((255, 255, 255), 0)
    if ink < MIN_INK * width * height:
        errors.append('only %.1f%% of the pixels drawn'
                      % (100.0 * ink / (width * height)))
    return errors


def check_steps(browser, page, steps, source):
    for step in range(1, steps + 1):
        section = source.split('id="step-%d"' % step)[1]
        section = section.split('</section>')[0]
        png = os.path.join(os.path.dirname(page), 'step-%d.png' % step)
        shown = browser.evaluate(SHOW_STEP % step)
        errors = []
        if shown != ['step-%d' % step]:
            errors.append('#step-%d shows %s' % (step, shown))
        shot = browser.call('Page.captureScreenshot', format='png')
        with open(png, 'wb') as f:
            f.write(base64.b64decode(shot['data']))
        if 'class="slabpic"' in section:
            errors += check_screenshot(png)
        errors += browser.console()
        if errors:
            return ['step %d (%s): %s' % (step, png, e) for e in errors]
    return []


def main(argv):
    if len(argv) != 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    subprocess.run([os.path.join(HERE, 'apt-install.sh'), 'tour-test',
                    'chromium', 'python3-pil'], check=True)
    page = os.path.abspath(argv[1])
    with open(page) as f:
        source = f.read()
    browser = Browser()
    try:
        browser.call('Page.navigate', url='file://' + page)
        browser.wait_for('Page.loadEventFired')
        errors, steps = check_dom(browser, source)
        errors += browser.console()
        if not errors:
            errors = check_steps(browser, page, steps, source)
    finally:
        browser.close()
    for e in errors:
        print('tour-test: FAIL: %s: %s' % (argv[1], e))
    if errors:
        return 1
    print('  TOUR    %s: %d steps load and show in Chromium' % (argv[1], steps))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
