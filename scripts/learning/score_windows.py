"""Scores harness outputs (DirectReplay rows) on both selection windows of the first 70% and on the test part:
MASE h=1 / h=H on origins 20%..40% (scale: the first 20%) and 40%..70% (scale: the first 40%), where settings are
chosen, and on the test part (the reference protocol, only reported), with every step of the test part and the test
coverage range; then naive on the same windows.
Usage: LEARN_DATA=DIR python3 score_windows.py SERIES FILE...  (SERIES as in score_rows.py)."""
import sys
import numpy as np
from learner_prototype import SER, mase, mase_val
from score_validation import read, coverage

name = sys.argv[1]
H = SER[name][2]
hs = list(range(1, H + 1))


def line(label, y, F, cov=''):
    a, b, t = mase_val(y, F, H, hs, 0.2, 0.4), mase_val(y, F, H, hs, 0.4, 0.7), mase(y, F, H, hs)
    f = lambda d: '%.4f/%.4f' % (d[1], d[H])
    print('%-40s s20-40 %s  s40-70 %s  test %s  steps %s %s' % (label[-40:], f(a), f(b), f(t),
          ' '.join('%.3f' % t[h] for h in hs), cov))


for path in sys.argv[2:]:
    y, F, L, U = read(path, H)
    c = coverage(y, L, U, H, int(.7 * len(y)), len(y))
    line(path, y, F, 'coverage %s-%s' % (min(c), max(c)))
line('naive', y, np.repeat(y[:, None], H, 1))
