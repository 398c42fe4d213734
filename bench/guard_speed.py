"""How fast the personal-data guard scans long and hostile texts (Python).

    .venv/bin/python bench/guard_speed.py

A careless regular expression can take quadratic time on such inputs; a story
is at most 2,500 characters, so everything here is far beyond real use.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from facilitation.cases.guard import scan  # noqa: E402

STORY = (
    "Tapasin asiakkaan, jonka nimi on Fatima Hassan. Hän asuu Ratapihantie 11:ssä, "
    "hetu 131052-308T ja puhelin 040 123 4567. "
)
TEXTS = {
    "realistic story x40": STORY * 40,
    "a*20000 + @": "a" * 20_000 + "@",
    "digits and spaces": "0" * 5_000 + " " + "1 " * 5_000,
    "Fatima x3000": "Fatima " * 3_000,
    "+1 1 1 ...": "+" + "1 " * 8_000,
    "a. x10000 @b": "a." * 10_000 + "@b",
    "Ab x10000": "Ab" * 10_000 + " 1",
}

scan("warm up the data")
for name, text in TEXTS.items():
    started = time.perf_counter()
    for _ in range(5):
        scan(text)
    print(f"{name:24} {len(text):7} chars  {(time.perf_counter() - started) / 5 * 1000:8.1f} ms")
