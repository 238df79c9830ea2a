"""Time and profile one page's template alone: the view runs once, then its template renders
``-n`` times with the same context (no SQL of the view; the template's own queries still run).

    .venv/bin/python bench/body_render.py / [-n 30] [--user admin] [--profile]
"""
import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import body_profile  # noqa: E402,F401  (Django set up on the bench database)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("-n", type=int, default=30)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    from django.template.response import TemplateResponse

    captured = {}
    original = TemplateResponse.resolve_template

    def capture(self, template):
        resolved = original(self, template)
        captured.setdefault("template", resolved)
        captured.setdefault("response", self)
        return resolved

    TemplateResponse.resolve_template = capture
    client = body_profile.clients()[args.user] if args.user in body_profile.USERS else None
    client.get(args.url)
    response, template = captured["response"], captured["template"]
    render = lambda: template.render(response.context_data, response._request)  # noqa: E731
    render()
    samples = []
    for _ in range(args.n):
        c0 = time.process_time()
        render()
        samples.append((time.process_time() - c0) * 1000)
    samples.sort()
    print(f"{args.url}: template {samples[len(samples) // 2]:.1f} ms median, {samples[0]:.1f} ms min (CPU)")
    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(lambda: [render() for _ in range(args.n)])
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
