import pytest

from ponleu.early_warning.engine import history, synthetic


@pytest.fixture(scope="session")
def small_history_folder(tmp_path_factory):
    """Three school years of about 600 students each, generated once for the engine's tests."""
    folder = tmp_path_factory.mktemp("history")
    synthetic.generate_history(folder, students=1800, cohorts=3, seed=11)
    return folder


@pytest.fixture(scope="session")
def small_history(small_history_folder):
    return history.read_history(small_history_folder)
