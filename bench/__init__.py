"""Tools that measure the portal from outside it: the load benchmark
(bench/run.py, `make bench`), synthetic records (`python -m bench.synthetic`),
search timing and recall (`python -m bench.search_timing`) and one streamed
export's memory (`python -m bench.exports`). Not an installed app: nothing in
the product imports it."""


class BenchError(Exception):
    """A benchmark refused its input or failed its own check; each main()
    turns it into a message and exit status 1."""
