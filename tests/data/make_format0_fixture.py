#!/usr/bin/python3
"""Writes format0_recording.h5: a hand-made file in the pre-release "format 0" layout
(docs/FILE_FORMAT.md, "Older formats"), used to test the reader's upgrade path.

Format 0: acc in g, gyr in deg/s, no device_time, no gaps, sample rate in `rate_hz`.
The values are simple closed forms so the test can recompute them:
  time[i] = i / 100
  acc[i]  = (1.0, 0.01 * i, -0.5)               g
  gyr[i]  = (90.0, -45.0 + i, 0.0)              deg/s
Run: /usr/bin/python3 tests/data/make_format0_fixture.py (needs python3-h5py, numpy)."""
import os

import h5py
import numpy as np

n = 50
here = os.path.dirname(os.path.abspath(__file__))
with h5py.File(os.path.join(here, "format0_recording.h5"), "w") as f:
    f.attrs["format"] = "stridelab-recording"
    f.attrs["format_version"] = np.int64(0)
    f.attrs["subject_id"] = "F0-subject"
    f.attrs["notes"] = "format 0 fixture"
    g = f.create_group("sensors/pelvis")
    g.attrs["placement"] = "pelvis"
    g.attrs["rate_hz"] = 100.0
    i = np.arange(n, dtype=np.float64)
    g.create_dataset("time", data=i / 100.0).attrs["units"] = "s"
    acc = np.stack([np.ones(n), 0.01 * i, -0.5 * np.ones(n)], axis=1)
    g.create_dataset("acc", data=acc).attrs["units"] = "g"
    gyr = np.stack([90.0 * np.ones(n), -45.0 + i, np.zeros(n)], axis=1)
    g.create_dataset("gyr", data=gyr).attrs["units"] = "deg/s"
