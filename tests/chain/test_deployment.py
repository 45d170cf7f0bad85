"""The deployment description: a JSON round trip, owner-only files, and errors that name the
file and the field."""

from __future__ import annotations

import json
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kol.chain.artifacts import artifact
from kol.chain.deployment import FORMAT, Deployment, DeploymentError
from kol.chain.plan import plan_alliance

DEPLOYER = "0xc5eC01817b54ec7f5577b9C8954E3Edff5AA1eA5"
ADMIN = "0x2000000000000000000000000000000000000002"
FOUNDATION = "0x3000000000000000000000000000000000000003"


@pytest.fixture(scope="module")
def described() -> Deployment:
    plan = plan_alliance(DEPLOYER, 0, admin=ADMIN, foundation=FOUNDATION)
    at = {s.key: s.address for s in plan.steps}
    sources = {s.key: s.contract for s in plan.steps}
    council = artifact("Council")
    return Deployment(
        chain_id=31_337,
        token=at["token"],
        council=at["council"],
        motions=at["motions"],
        treasury=at["treasury"],
        usdt=at["usdt"],
        abis={key: artifact(name).abi for key, name in sources.items()},
        start_block=1,
        deployer=DEPLOYER,
        vyper_version=council.vyper_version,
        evm_version=council.evm_version,
        rpc_url="http://127.0.0.1:8545",
        test_usdt=True,
    )


def test_save_and_load__round_trip__the_same_description(
    described: Deployment, tmp_path: Path
) -> None:
    path = described.save(tmp_path / "deployment.json")
    loaded = Deployment.load(path)
    assert loaded == described
    assert (loaded.vyper_version, loaded.evm_version) == ("0.4.3", "prague")
    data = json.loads(path.read_text())
    assert data["format"] == FORMAT
    assert data["contracts"]["usdt"]["name"] == "TestUSDT"
    assert data["contracts"]["council"]["address"] == described.council
    assert any(e.get("name") == "vote" for e in data["contracts"]["council"]["abi"])


def test_save__the_file_is_readable_by_its_owner_only(
    described: Deployment, tmp_path: Path
) -> None:
    path = described.save(tmp_path / "deployment.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_save__an_existing_file__is_kept_unless_overwrite(
    described: Deployment, tmp_path: Path
) -> None:
    path = tmp_path / "deployment.json"
    path.write_text("{}")
    with pytest.raises(FileExistsError, match="a deployment is described once"):
        described.save(path)
    assert path.read_text() == "{}"
    described.save(path, overwrite=True)
    assert Deployment.load(path) == described


def test_load__governance_only__no_treasury_and_no_usdt(
    described: Deployment, tmp_path: Path
) -> None:
    core = replace(
        described,
        treasury=None,
        usdt=None,
        abis={k: v for k, v in described.abis.items() if k in ("token", "council", "motions")},
        test_usdt=False,
        rpc_url=None,
    )
    loaded = Deployment.load(core.save(tmp_path / "d.json"))
    assert loaded == core and loaded.address("treasury") is None


def _broken(described: Deployment, tmp_path: Path, change: Any) -> Path:
    data = described.to_json()
    change(data)
    path = tmp_path / "deployment.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("chain_id"), 'the file has no "chain_id"'),
        (lambda d: d.update(chain_id="31337"), '"chain_id" must be an integer ≥ 1'),
        (lambda d: d.update(start_block=-1), '"start_block" must be an integer ≥ 0'),
        (lambda d: d.update(format="something/else"), "\"format\" is 'something/else'"),
        (lambda d: d["contracts"].pop("council"), '"contracts" has no "council" (Council)'),
        (
            lambda d: d["contracts"]["motions"].update(address="0x1234"),
            '"contracts.motions".address is not an address',
        ),
        (
            lambda d: d["contracts"]["token"].update(abi={"type": "function"}),
            '"contracts.token".abi must be a list of ABI entries',
        ),
        (lambda d: d["contracts"].pop("usdt"), 'has a treasury but no "usdt"'),
        (lambda d: d["contracts"].update(bank={}), '"contracts" has unknown entries: bank'),
        (lambda d: d.update(deployer="0xC5EC01817B54EC7F5577B9C8954E3EDFF5AA1EA5x"), "deployer"),
        (lambda d: d.pop("compiler"), 'the file has no "compiler"'),
    ],
)
def test_load__malformed__names_the_file_and_the_field(
    described: Deployment, tmp_path: Path, change: Any, message: str
) -> None:
    path = _broken(described, tmp_path, change)
    with pytest.raises(DeploymentError) as error:
        Deployment.load(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


def test_load__not_json__says_where(tmp_path: Path) -> None:
    path = tmp_path / "deployment.json"
    path.write_text('{\n  "format": "kol-alliance/deployment@1",\n  "chain_id": 1,,\n}')
    with pytest.raises(DeploymentError, match=r"not JSON \(line 3, column"):
        Deployment.load(path)


def test_load__not_an_object__says_so(tmp_path: Path) -> None:
    path = tmp_path / "deployment.json"
    path.write_text("[1, 2]")
    with pytest.raises(DeploymentError, match="the file must be a JSON object, not a list"):
        Deployment.load(path)


def test_load__missing_file__says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(DeploymentError, match="no such file .*kol deploy"):
        Deployment.load(tmp_path / "nothing.json")
