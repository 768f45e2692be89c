"""The load benchmark's arithmetic: a page's figure is its median round against /healthz."""

from bench.run import Round, median_round, table


def wrk(rps: float) -> dict:
    return {"rps": rps, "p50_us": 40_000, "p95_us": 90_000, "errors": 0}


def test_a_page_shows_its_median_round_and_the_range():
    rounds = [Round(wrk(100), 1000), Round(wrk(60), 1000), Round(wrk(110), 1000)]
    result, ratios = median_round(rounds)
    assert result["rps"] == 100 and ratios.median == 0.1
    assert (ratios.low, ratios.high, ratios.rounds) == (0.06, 0.11, 3)


def test_each_round_is_taken_against_the_healthz_around_it():
    # The machine slowed by half in the second round: the page and /healthz alike.
    rounds = [Round(wrk(100), 1000), Round(wrk(50), 500), Round(wrk(99), 1000)]
    result, ratios = median_round(rounds)
    assert ratios.median == 0.1 and ratios.low == 0.099 and ratios.healthz in (500, 1000)
    assert result["rps"] / ratios.healthz == ratios.median


def test_an_even_number_of_rounds_shows_the_lower_middle():
    _, ratios = median_round([Round(wrk(120), 1000), Round(wrk(100), 1000)])
    assert ratios.median == 0.1


def test_the_table_shows_the_median_round_with_its_range():
    class Page:
        def __init__(self, name):
            self.name = name

    pages = [Page("/healthz"), Page("queue")]
    result, ratios = median_round([Round(wrk(80), 800), Round(wrk(95), 1000)])
    text = table(
        pages,
        {"/healthz": wrk(1000), "/healthz (again)": wrk(900), "queue": result},
        {"queue": ratios},
        {"/healthz": 1, "queue": 8},
        {"/healthz": 1663, "queue": 21000},
        10000,
        5,
    )
    assert "| queue | 95.0 | 40 ms | 90 ms | 0.095 | 0.095-0.100 | 8 | 21,000 | 0 | 1000 |" in text
    assert "| /healthz | 1000.0 | 40 ms | 90 ms | 1.053 | - |" in text
    assert "2 rounds" in text


def test_the_table_names_the_connections_the_load_used():
    class Page:
        name = "/healthz"

    text = table(
        [Page()],
        {"/healthz": wrk(1000), "/healthz (again)": wrk(1000)},
        {},
        {"/healthz": 1},
        {"/healthz": 1663},
        5,
        5,
        connections=16,
    )
    assert "wrk 16 connections" in text
