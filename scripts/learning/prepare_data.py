"""Writes the evaluation series of issue 19 as timestamp,value CSVs into OUT (default target/learning-data):
AAPL daily close, ECG record 100 lead MLII as the mean of each 4 samples (90 Hz; timestamps one second apart, as the
engine's CSV reader and the scorer take whole seconds), and copies of the three NAB series.
Usage: python3 scripts/learning/prepare_data.py DATA_DIR [OUT]   (DATA_DIR holds nab/, ecg/, stocks/, e.g. data/)."""
import csv, gzip, sys, os, shutil, datetime
import numpy as np
data = sys.argv[1]; out = sys.argv[2] if len(sys.argv) > 2 else 'target/learning-data'
os.makedirs(out, exist_ok=True)
def write(name, ts, y):
    with open(f'{out}/{name}.csv', 'w') as f:
        f.write('timestamp,value\n')
        for t, v in zip(ts, y):
            f.write(f'{t},{v:.6g}\n')
rows = list(csv.DictReader(open(f'{data}/stocks/AAPL.csv')))
write('AAPL', [r['date'] for r in rows], [float(r['close']) for r in rows])
rd = csv.reader(gzip.open(f'{data}/ecg/mitdb_100_signal.csv.gz', 'rt')); next(rd)
v = np.array([float(r[1]) for r in rd]); n = len(v) // 4 * 4; v = v[:n].reshape(-1, 4).mean(1)
base = datetime.datetime(2020, 1, 1)
write('ecg100', [(base + datetime.timedelta(seconds=i)).strftime('%Y-%m-%d %H:%M:%S') for i in range(len(v))], v)
for f in ['nyc_taxi', 'machine_temperature_system_failure', 'ambient_temperature_system_failure']:
    shutil.copy(f'{data}/nab/data/realKnownCause/{f}.csv', out)
