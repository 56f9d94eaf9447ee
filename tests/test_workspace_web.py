"""The workspace's pages and forms through Flask's test client, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from engine.criteria.loader import load_criteria, search_path
from engine.web import create_app
from engine.workspace.store import init, open_workspace
from tests.conftest import EXAMPLE, REPO

YUNNAN = load_criteria("yunnan_2014", search_path())
PDF = b"%PDF-1.4\n% evidence\n%%EOF\n"


@pytest.fixture
def client(tmp_path: Path, database: str | None):  # type: ignore[no-untyped-def]
    init(tmp_path / "ws", database, ["yunnan_2014"]).import_files([EXAMPLE], YUNNAN)
    app = create_app(trusted_hosts=["localhost"], workspace=tmp_path / "ws")
    client = app.test_client()
    client.folder = tmp_path / "ws"
    client.token = token(client)
    return client


def token(client, path: str = "/workspace") -> str:  # type: ignore[no-untyped-def]
    """The CSRF token the workbench's forms carry (a session's)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert found is not None
    return found[1]


def send(client, path: str, data: dict, **options):  # type: ignore[no-untyped-def]
    """A form of the workbench, posted with its CSRF token."""
    return client.post(path, data={**data, "csrf_token": client.token}, **options)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))


def test_without_a_workspace_the_workbench_is_as_before() -> None:
    client = create_app(trusted_hosts=["localhost"]).test_client()
    assert client.get("/workspace").status_code == 404
    assert "工作区" not in client.get("/check").get_data(as_text=True)


def test_the_dashboard_and_the_entity_page(client) -> None:  # type: ignore[no-untyped-def]
    board = client.get("/workspace")
    assert board.status_code == 200
    assert "保山市" in _text(board)
    assert "尚不具备" in _text(board)
    page = client.get("/workspace/entity/保山市")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    named = set(re.findall(r'name="input" value="([a-z0-9_]+)"', html))
    read = {name for compiled in YUNNAN.items for name in compiled.inputs}
    assert named == read  # a form for every input an item reads
    assert client.get("/workspace/entity/无此市").status_code == 422


def test_a_bad_value_is_refused_with_the_cli_message_and_stores_nothing(client) -> None:  # type: ignore[no-untyped-def]
    form = {"input": "gdp", "year": "2016", "value": "约600"}
    refused = send(client, "/workspace/entity/保山市/value", form)
    assert refused.status_code == 422
    assert "地区生产总值(GDP) (gdp): 填写的是 '约600'，这是约数" in _text(refused).replace(
        "&#39;", "'"
    )
    space = open_workspace(client.folder)
    assert [v.number for v in space.history("保山市", "gdp", 2016)] == [1]
    stored = send(client, "/workspace/entity/保山市/value", {**form, "value": "610"})
    assert stored.status_code == 303
    assert [v.raw for v in space.history("保山市", "gdp", 2016)] == [604.97, "610"]


def test_a_cross_site_form_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    refused = send(
        client,
        "/workspace/checkin",
        {"name": "x"},
        headers={"Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"},
    )
    assert refused.status_code == 403
    assert open_workspace(client.folder).checkins() == []


def test_evidence_is_only_ever_a_download(client) -> None:  # type: ignore[no-untyped-def]
    sent = send(
        client,
        "/workspace/entity/保山市/evidence",
        {"year": "2016", "target": "item:eco_plan", "file": (io.BytesIO(PDF), "批复.pdf")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 303
    disguised = send(client,
        "/workspace/entity/保山市/evidence",
        {"year": "2016", "target": "item:eco_plan",
              "file": (io.BytesIO(b"<script>alert(1)</script>"), "x.pdf")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert disguised.status_code == 422
    (link,) = open_workspace(client.folder).evidence("保山市")
    got = client.get(f"/workspace/evidence/{link.id}")
    assert got.status_code == 200
    assert got.data == PDF
    assert got.mimetype == "application/pdf"
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in got.headers["Content-Security-Policy"]


def test_checkin_report_bulletin_and_bundle(client) -> None:  # type: ignore[no-untyped-def]
    assert send(client, "/workspace/checkin", {"name": "一月"}).status_code == 303
    form = {"input": "urban_sewage_treatment_rate", "year": "2016", "value": "86"}
    send(client, "/workspace/entity/保山市/value", form)
    assert send(client, "/workspace/checkin", {"name": "二月"}).status_code == 303
    assert send(client, "/workspace/checkin", {"name": "二月"}).status_code == 422
    report = client.get("/workspace/entity/保山市/report?checkin=一月")
    assert report.status_code == 200
    docx = client.get("/workspace/entity/保山市/report?checkin=一月&format=docx")
    assert docx.data.startswith(b"PK")
    summary = client.get(
        "/workspace/entity/保山市/report?checkin=二月&format=md&document=summary"
    ).get_data(as_text=True)
    assert "与“一月”相比: 阻碍申报的缺口" in summary  # the change since the previous check-in
    first = client.get("/workspace/entity/保山市/report?checkin=一月&format=md&document=summary")
    assert "无上次检查或快照可比" in first.get_data(as_text=True)
    pdf = client.get("/workspace/entity/保山市/report?checkin=二月&format=pdf&document=summary")
    assert pdf.data.startswith(b"%PDF-")
    assert (
        "_一页纸.pdf" in pdf.headers["Content-Disposition"]
        or "%E4%B8%80" in (pdf.headers["Content-Disposition"])
    )
    technical = client.get(
        "/workspace/entity/保山市/report?checkin=二月&format=docx&document=technical"
    )
    assert technical.data.startswith(b"PK")
    wrong = client.get("/workspace/entity/保山市/report?checkin=二月&format=text&document=summary")
    assert wrong.status_code == 400
    bulletin = client.get("/workspace/entity/保山市/progress?from=一月&to=二月")
    assert bulletin.status_code == 200
    assert "城市污水集中处理率" in bulletin.get_data(as_text=True)
    bundle = client.get("/workspace/entity/保山市/bundle?checkin=二月")
    assert bundle.data.startswith(b"PK")


def test_a_departments_return_is_imported_from_the_browser(client) -> None:  # type: ignore[no-untyped-def]
    part = (REPO / "examples" / "workspace" / "市林业局_2017-01.csv").read_bytes()
    sent = send(
        client,
        "/workspace/import",
        {"period": "2017-01", "data": [(io.BytesIO(part), "市林业局_2017-01.csv")]},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 303
    assert "done=import" in sent.headers["Location"]
    versions = open_workspace(client.folder).history("保山市", "forest_cover_rate", 2016)
    assert [(v.raw, v.period, v.file) for v in versions][-1] == (
        66.2, "2017-01", "市林业局_2017-01.csv",
    )  # fmt: skip
    bad = "评估对象,输入项,2016\n保山市,entity.level,city\n保山市,gdp,约600\n".encode()
    refused = send(
        client,
        "/workspace/import",
        {"data": [(io.BytesIO(bad), "bad.csv")]},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert "约600" in refused.get_data(as_text=True)
    assert len(open_workspace(client.folder).history("保山市", "gdp", 2016)) == 1


def test_a_departments_status_as_word_and_pdf(client) -> None:  # type: ignore[no-untyped-def]
    import docx

    page = client.get("/workspace/departments/市林业局")
    assert 'id="ws-department-pdf"' in page.get_data(as_text=True)
    word = client.get("/workspace/departments/市林业局?format=docx")
    assert word.status_code == 200
    document = docx.Document(io.BytesIO(word.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "单位进展: 市林业局" in text
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["评估对象", "条目", "状态", "现行数值"]
    assert any(row[0] == "保山市" for row in rows[1:])
    pdf = client.get("/workspace/departments/市林业局?format=pdf")
    assert pdf.data.startswith(b"%PDF-")
    board = client.get("/workspace?format=pdf")
    assert board.data.startswith(b"%PDF-")
    assert 'id="ws-board-pdf"' in client.get("/workspace").get_data(as_text=True)
    assert client.get("/workspace/departments/市林业局?format=xlsx").status_code == 400
