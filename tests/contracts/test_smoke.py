from tests.contracts.helpers import NODE, SUPER, make_world


def test_genesis__ratified_slate__seats_super_nodes_and_queue() -> None:
    w = make_world(n_nodes=30, n_supers=21, n_alternates=3)
    assert w.council.seats(NODE) == 30
    assert w.council.seats(SUPER) == 21
    assert w.council.queue_length(SUPER) == 3
    assert not w.council.genesis_open()
