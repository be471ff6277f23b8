"""Prints the order of a bench run's timed runs: 'EXAMPLE ROUND' lines from OUT/results.json."""
import json
import sys

with open(sys.argv[1] + "/results.json") as f:
    data = json.load(f)
print("order", data["meta"].get("order"))
for r in data["runs"]:
    print(r["example"], r["round"])
print("end")
