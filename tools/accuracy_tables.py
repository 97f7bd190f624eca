#!/usr/bin/env python3
"""Prints the accuracy tables of docs/ACCURACY.md from the accuracy tests' own output.

    python3 tools/accuracy_tables.py [BUILD_DIR]      (default: build)

Runs build/tests/test_accuracy_sim and build/tests/test_accuracy_real, parses the figure line
each case prints, and writes the two markdown tables (simulator matrix, real recordings) to
stdout, so the document always shows what the tests measured.
"""
import re
import subprocess
import sys

build = sys.argv[1] if len(sys.argv) > 1 else "build"


def run(binary):
    out = subprocess.run([f"{build}/tests/{binary}"], capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stdout[-3000:])
        sys.exit(f"accuracy_tables: {binary} failed (exit {out.returncode})")
    return out.stdout


SIM = re.compile(
    r"^(\S+)\s+steps.*?rec ([\d.]+) prec ([\d.]+) \|IC\|\s+([\d.]+) ms.*?side ([\d.]+) "
    r"drop RMSE ([\d.nan]+).*?rot RMSE ([\d.nan]+).*?CT MAE\s+([\d.nan]+) ms "
    r"cad err ([\d.]+).*?\[(\w+),")

print("| case | recall | precision | mean abs IC error (ms) | side correct | drop RMSE (°) "
      "| rotation RMSE (°) | contact time MAE (ms) | cadence error (spm) | neutral from |")
print("|---|---|---|---|---|---|---|---|---|---|")
for line in run("test_accuracy_sim").splitlines():
    m = SIM.match(line)
    if m:
        print("| " + " | ".join(m.groups()) + " |")

REAL = re.compile(
    r"^(\S+)\s+ref\s+(\d+) det\s+\d+ matched\s+\d+ recall ([\d.]+) precision ([\d.]+) "
    r"\|IC\|\s+([\d.]+) ms \(bias\s+([+-][\d.]+)\) side ([\d.]+) \((\d+)\) "
    r"cadence err ([\d.]+) spm \(all contacts ([\d.]+)\) over (\d+) bouts")
CT = re.compile(r"^(\S+)\s+contact time vs reference FC-IC \(all\): n (\d+), error ([+-][\d.]+) "
                r"ms \(SD ([\d.]+)\), mean \|error\| ([\d.]+) ms")
NAMES = {"Test5_Trial1": "HA001 Test5 Trial1", "Test5_Trial2": "HA001 Test5 Trial2",
         "Test11_Trial1": "HA001 Test11 (daily living)"}

print()
print("| recording / reference | ref ICs | recall | precision | mean abs IC error (ms) | bias (ms) "
      "| side agreement | cadence error (spm): ours / like the reference | contact time error (ms): mean ± SD, mean abs (n) |")
print("|---|---|---|---|---|---|---|---|---|")
contact = {}
for line in run("test_accuracy_real").splitlines():
    c = CT.match(line)
    if c:
        name, n, mean, sd, mae = c.groups()
        contact[name] = f"{mean.replace('-', '−')} ± {sd}, {mae} ({n})"
        continue
    m = REAL.match(line)
    if not m:
        continue
    name, ref, rec, prec, ic, bias, side, side_n, cad, cad_span, bouts = m.groups()
    rec_name, system = name.split("/")
    if rec_name == "skdh":
        label = f"skdh_lumbar / skdh {system} (another tool)"
        side = cad = "–"
    else:
        label = f"{NAMES.get(rec_name, rec_name)} / {system}"
        cad = f"{cad} / {cad_span}"
    bias = bias.replace("-", "−")
    print(f"| {label} | {ref} | {rec} | {prec} | {ic} | {bias} | {side} | {cad} | "
          f"{contact.get(name, '–')} |")
