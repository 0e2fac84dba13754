#!/usr/bin/env python3
"""Evaluates every PromQL expression of Grafana dashboards against a Prometheus; fails on error or no data.

Usage: promql_check.py PROMETHEUS_URL DASHBOARD_DIR [RULES_FILE]

Grafana variables are replaced: $job by the scrape job (SEQCAST_JOB, default seqcast), $pipeline by .* (the
dashboards match both with =~), $series by a watched series
that Prometheus has, $__rate_interval by 30s, $__interval by 5s, $__range by 1m. A variable's label_values(m, l)
query is checked as the selector m. Then every alert rule Prometheus loaded must be healthy (evaluates
without error); rules may return nothing (no alert firing).
"""
import glob
import json
import os
import re
import sys
import urllib.parse
import urllib.request

PROM, DASHBOARDS = sys.argv[1], sys.argv[2]
# the scrape job of seqcast in the Prometheus checked (prometheus-dashboards.sh names it seqcast), for $job
JOB = os.environ.get("SEQCAST_JOB", "seqcast")


def query(expr):
    url = PROM + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        return json.load(e)


def first_series():
    r = query("group by (series) (seqcast_series_observed)")
    values = sorted(x["metric"].get("series", "") for x in r.get("data", {}).get("result", []))
    return values[0] if values else "no-watched-series"


def substitute(expr, series):
    expr = expr.replace("$__rate_interval", "30s").replace("$__interval", "5s").replace("$__range", "1m")
    expr = expr.replace("${pipeline}", ".*").replace("$pipeline", ".*")
    expr = expr.replace("${job}", JOB).replace("$job", JOB)
    return expr.replace("${series}", series).replace("$series", series)


def expressions(path):
    d = json.load(open(path))
    for v in d.get("templating", {}).get("list", []):
        q = v.get("query")
        q = q.get("query") if isinstance(q, dict) else q
        if v.get("type") == "query" and q:
            m = re.fullmatch(r"\s*label_values\((.*),\s*\w+\)\s*", q)
            yield "variable $" + v["name"], m.group(1) if m else q

    def panels(ps):
        for p in ps:
            yield p
            yield from panels(p.get("panels", []))

    for p in panels(d.get("panels", [])):
        for t in p.get("targets", []):
            if t.get("expr"):
                yield "panel '%s' %s" % (p.get("title"), t.get("refId", "")), t["expr"]


def main():
    series = first_series()
    rows, failures = [], 0
    for path in sorted(glob.glob(os.path.join(DASHBOARDS, "*.json"))):
        name = os.path.basename(path)
        for where, expr in expressions(path):
            r = query(substitute(expr, series))
            if r.get("status") != "success":
                verdict, failures = "INVALID: " + r.get("error", "?"), failures + 1
            elif not r["data"]["result"]:
                verdict, failures = "NO DATA", failures + 1
            else:
                verdict = "ok (%d series)" % len(r["data"]["result"])
            rows.append((name, where, verdict, expr))
    width = max(len(r[1]) for r in rows)
    print("watched series used for $series: %s" % series)
    for name, where, verdict, expr in rows:
        print("%-22s %-*s %-16s %s" % (name, width, where, verdict if verdict.startswith("ok") else verdict,
                                       " ".join(expr.split())[:110]))
    rules_checked = 0
    if len(sys.argv) > 3:
        with urllib.request.urlopen(PROM + "/api/v1/rules", timeout=30) as r:
            groups = json.load(r)["data"]["groups"]
        for g in groups:
            for rule in g["rules"]:
                rules_checked += 1
                ok = rule.get("health") == "ok"
                if not ok:
                    failures += 1
                print("rule %-36s %s" % (rule["name"], "ok (%s)" % rule.get("state", "") if ok else
                                         "UNHEALTHY: %s %s" % (rule.get("health"), rule.get("lastError", ""))))
        if rules_checked == 0:
            failures += 1
            print("rule file loaded no rules")
    print("%d passed, %d failed" % (len(rows) + rules_checked - failures, failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
