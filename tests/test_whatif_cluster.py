"""What-if drills on a Dask distributed cluster (``drillsim simulate --scheduler``): the same seeds give
the same result table as local processes. Skipped where the optional ``cluster`` extra is missing."""

from __future__ import annotations

import pytest

distributed = pytest.importorskip(
    "distributed", reason="Dask's distributed is not installed (pip install 'drillsim[cluster]')"
)

from drillsim.main import main  # noqa: E402
from drillsim.reports.whatif_render import score_total  # noqa: E402
from drillsim.simulator.session import load_pair  # noqa: E402
from drillsim.simulator.whatif import simulate  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=None
    ) as local:
        yield local


def test_a_cluster_plays_the_same_drills_as_local_processes(cluster) -> None:
    loaded = load_pair("flash-sale-latency")
    local = simulate(loaded.scenario, [loaded.roster], 30, seed=5, jobs=1, scorer=score_total)
    with distributed.Client(cluster) as client:
        remote = simulate(
            loaded.scenario, [loaded.roster], 30, seed=5, jobs=4, scorer=score_total, executor=client.get_executor()
        )
    assert remote.results == local.results


def test_simulate_with_scheduler_prints_the_local_table(cluster, tmp_path, capsys) -> None:
    args = ["simulate", "flash-sale-latency", "--runs", "24", "--seed", "3", "--no-figures", "--quiet"]
    assert main([*args, "--jobs", "1", "--out", str(tmp_path / "local")]) == 0
    local = capsys.readouterr().out
    assert main([*args, "--scheduler", cluster.scheduler_address, "--out", str(tmp_path / "remote")]) == 0
    remote = capsys.readouterr().out
    assert local.split("\n\n")[0] == remote.split("\n\n")[0]
    assert f"on the cluster at {cluster.scheduler_address}" in remote
    assert (tmp_path / "local" / "runs.csv").read_text() == (tmp_path / "remote" / "runs.csv").read_text()


def test_an_unreachable_scheduler_is_one_clear_line(tmp_path, capsys) -> None:
    code = main(["simulate", "flash-sale-latency", "--runs", "2", "--scheduler", "tcp://127.0.0.1:9", "--quiet"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("drillsim: --scheduler tcp://127.0.0.1:9: cannot reach the Dask scheduler")
    assert "Traceback" not in err
