"""Fuzz the ``ovos`` reader (OVOS dialog/intent/voc files): any bytes give records or one InputError.

Run: ``python bench/fuzz/fuzz_ovos.py -runs=100000`` (see bench/fuzz/README.md).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import main

if __name__ == "__main__":
    main('ovos', 'hello.dialog')
