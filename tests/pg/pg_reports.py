#!/usr/bin/env python3
"""The reports of two kaiku servers, one on a SQLite file and one on
PostgreSQL holding the same store, must be the same: for
tests/pg/test_pg_purge.sh after a purge (R35), which exercises the purged
uses' rows of the venue usage report (R28), the cardholder report from the
kept counts (R30) and the national report (R31).
Usage: pg_reports.py KAIKU FILE.db POSTGRES_URL"""
import json
import socket
import subprocess
import sys
import time
import urllib.request

KAIKU, FILE, URL = sys.argv[1:4]
YEAR = time.strftime("%Y")
REPORTS = [
    f"/api/v1/reports/venue-usage?venue=teatteri-hilla&from={YEAR}-01-01&to={YEAR}-12-31",
    f"/api/v1/reports/venue-usage?venue=kamu-espoo&from={int(YEAR) - 1}-01-01&to={YEAR}-12-31",
    f"/api/v1/reports/cardholders?region=espoo&year={YEAR}&suppress=false",
    f"/api/v1/reports/cardholders?region=kainuu&year={YEAR}",
    f"/api/v1/reports/national?year={YEAR}",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db):
    port = free_port()
    p = subprocess.Popen([KAIKU, "serve", "--db", db, "--listen", f"127.0.0.1:{port}", "--quiet",
                          "--threads", "2"])
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return p, base
        except OSError:
            time.sleep(0.05)
    p.terminate()
    sys.exit(f"pg_reports.py: the server on {db} did not start")


def reports(db):
    p, base = serve(db)
    try:
        login = urllib.request.Request(
            base + "/api/v1/login", method="POST", headers={"Content-Type": "application/json"},
            data=json.dumps({"username": "tuki", "password": "kaikukortti-demo"}).encode())
        token = json.load(urllib.request.urlopen(login))["token"]
        out = []
        for path in REPORTS:
            req = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
            out.append(json.load(urllib.request.urlopen(req)))
        return out
    finally:
        p.terminate()
        p.wait()


failed = 0
theirs = reports(FILE)
purged_rows = [r for r in theirs[0]["rows"] if not r["card"]]
if purged_rows:
    print(f"ok   the venue usage report has the purged uses' rows ({len(purged_rows)})")
else:
    failed += 1
    print("FAIL the venue usage report has the purged uses' rows: none")
for path, s, p in zip(REPORTS, theirs, reports(URL)):
    rows = len(s.get("rows", [])) if isinstance(s, dict) else 0
    if s == p:
        print(f"ok   the same report on both: {path} ({rows} rows)")
    else:
        failed += 1
        print(f"FAIL the same report on both: {path}\n     sqlite: {json.dumps(s)[:400]}\n"
              f"     pg:     {json.dumps(p)[:400]}")
sys.exit(1 if failed else 0)
