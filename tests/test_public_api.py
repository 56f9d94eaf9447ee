import engine


def test_all_names_are_exported() -> None:
    assert sorted(engine.__all__) == engine.__all__
    for name in engine.__all__:
        assert hasattr(engine, name), name
