"""Searches in one server process take turns, first come first served."""

import threading
import time

from webui.turns import Turns


def wait_until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_turns_are_taken_in_arrival_order():
    turns = Turns()
    order: list[int] = []

    def search(n: int):
        with turns.turn():
            order.append(n)

    threads = []
    with turns.turn():  # a search is running: the others queue up behind it
        for n in range(8):
            t = threading.Thread(target=search, args=(n,))
            t.start()
            threads.append(t)
            wait_until(lambda: turns.waiting == n + 1)
    for t in threads:
        t.join(timeout=10)
    assert order == list(range(8))
    assert turns.waiting == 0


def test_only_one_caller_holds_the_turn():
    turns = Turns()
    inside = []
    most = []

    def search():
        for _ in range(50):
            with turns.turn():
                inside.append(1)
                most.append(len(inside))
                time.sleep(0.0005)
                inside.pop()

    threads = [threading.Thread(target=search) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert max(most) == 1 and len(most) == 300


def test_a_failed_search_passes_the_turn_on():
    turns = Turns()
    try:
        with turns.turn():
            raise ValueError("bad query")
    except ValueError:
        pass
    done = threading.Event()

    def search():
        with turns.turn():
            done.set()

    threading.Thread(target=search, daemon=True).start()
    assert done.wait(timeout=5)


def test_the_app_answers_after_failed_and_concurrent_searches(app):
    """Errors inside a turn (a 400, a 404) must not keep the next search waiting."""
    statuses = []

    def ask(path):
        with app.test_client() as client:
            statuses.append((path, client.get(path).status_code))

    paths = ["/api/search?q=()&raw=1", "/api/documents/no/such.txt", "/doc/no/such.txt",
             "/api/search.csv?q=()&raw=1"] + ["/api/search?q=выборы"] * 6 + ["/?q=election"] * 2
    threads = [threading.Thread(target=ask, args=(p,), daemon=True) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a search never got its turn"
    assert sorted(statuses) == sorted(
        [(paths[0], 400), (paths[1], 404), (paths[2], 404), (paths[3], 400)]
        + [(p, 200) for p in paths[4:]]
    )
    assert app.extensions["statements"].turns.waiting == 0
