#!/usr/bin/env python3
"""Times the test API server (tests/KubeApiServer) alone: creating N ConfigMaps, then one paged
LIST of them all (limit 500, continue tokens), as the operator's cold collection lists them. So a
scale figure can tell the API server's time from the operator's (issue #14).

    bench-list.py [--count 100000] [--limit 500] [--repo DIR]

--repo picks the checkout whose scripts/local-apiserver.sh (and so whose API server) runs, e.g. an
older worktree for a before/after. Prints `list_seconds N PAGES SECONDS` and `create_seconds N SECONDS`.
"""
import argparse
import os
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib

pipeline = importlib.import_module("bench-pipeline")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--repo", default=pipeline.ROOT)
    args = parser.parse_args()
    os.environ.setdefault("KOLLECT_LOCAL_APISERVER_DIR", tempfile.mkdtemp(prefix="kollect-bench-list."))
    pipeline.APISERVER = os.path.join(os.path.abspath(args.repo), "scripts", "local-apiserver.sh")
    try:
        _, api, _ = pipeline.start_apiserver()
        print(f"create_seconds {args.count} {pipeline.create_config_maps(api, args.count):.2f}", flush=True)
        conn = api.connection()
        token, pages, items = None, 0, 0
        t0 = time.perf_counter()
        while True:
            path = f"/api/v1/configmaps?limit={args.limit}"
            if token:
                path += "&continue=" + urllib.parse.quote(token)
            page = api.request("GET", path, conn=conn)
            pages += 1
            items += len(page["items"])
            token = page["metadata"].get("continue")
            if not token:
                break
        seconds = time.perf_counter() - t0
        conn.close()
        if items < args.count:
            raise SystemExit(f"bench-list: listed {items} ConfigMaps, expected at least {args.count}")
        print(f"list_seconds {items} {pages} {seconds:.2f}", flush=True)
    finally:
        pipeline.subprocess.run([pipeline.APISERVER, "stop"], stdout=pipeline.subprocess.DEVNULL,
                                stderr=pipeline.subprocess.DEVNULL, check=False)


if __name__ == "__main__":
    main()
