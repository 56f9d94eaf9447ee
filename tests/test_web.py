"""The web workbench through Flask's test client: pages, uploads, downloads, bad input."""

from __future__ import annotations

import base64
import gc
import io
import json
import re
import tempfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.web import create_app
from engine.web.server import is_loopback
from engine.web.uploads import safe_name
from scripts.example_workbook import WORKBOOK
from tests.conftest import EXAMPLE, REPO

CASES = REPO / "criteria" / "yunnan_2014" / "cases"


@pytest.fixture(scope="module")
def client():
    app = create_app(trusted_hosts=["localhost", "127.0.0.1"])
    return app.test_client()


def upload(client, path: str, files: list[tuple[bytes, str]], **fields: str):
    data: dict[str, object] = {"criteria": "yunnan_2014", **fields}
    data["data"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(path, data=data, content_type="multipart/form-data")


def problems(response) -> list[str]:
    text = response.get_data(as_text=True)
    return re.findall(r"<li>(.*?)</li>", text.split('id="problems"')[1].split("</ul>")[0])


def data_url(response, element_id: str) -> bytes:
    text = response.get_data(as_text=True)
    match = re.search(rf'id="{element_id}"[^>]*href="data:[^;]+(?:;[^;,]+)*;base64,([^"]+)"', text)
    assert match, element_id
    return base64.b64decode(match[1])


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/criteria",
        "/criteria/yunnan_2014",
        "/criteria/national_demo_area",
        "/check",
        "/batch",
        "/diff",
        "/diff?a=yunnan_2014&b=national_demo_area",
    ],
)
def test_every_page_renders_in_both_languages(client, url: str, lang: str) -> None:
    joiner = "&" if "?" in url else "?"
    response = client.get(f"{url}{joiner}lang={lang}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert ("ecoassess 工作台" if lang == "zh" else "ecoassess workbench") in text
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_criteria_list_names_every_bundled_set(client) -> None:
    text = client.get("/criteria").get_data(as_text=True)
    for set_id in ("yunnan_2014", "national_demo_area", "guigang_2023", "lufeng_2024"):
        assert f'href="/criteria/{set_id}?lang=zh"' in text


def test_a_set_shows_each_items_rule_kind_and_departments(client) -> None:
    text = client.get("/criteria/yunnan_2014").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td>", text)
    assert rows[:2] == ["B1", "B2"]
    assert len(rows) == 28  # every check of the set
    assert "&gt; 90 %" in text  # item 18 is a strict comparison in the source
    assert "市农业局" in text
    assert '<span class="tag binding">约束性</span>' in text


@pytest.mark.parametrize(
    "url",
    [
        "/criteria/nope",
        "/criteria/..%2F..%2Fetc%2Fpasswd",
        "/criteria/../../etc/passwd",
        "/template?criteria=../../etc/passwd",
        "/diff?a=yunnan_2014&b=..%2Fnational_demo_area",
    ],
)
def test_unknown_or_traversing_names_are_not_found(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)


def test_template_download_is_the_fill_in_workbook(client) -> None:
    response = client.get("/template?criteria=yunnan_2014&year=2016")
    assert response.status_code == 200
    assert "yunnan_2014_2016.xlsx" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["数据", "说明"]


def test_check_the_example_workbook_shows_the_report_and_its_downloads(client) -> None:
    response = upload(client, "/check", [(WORKBOOK.read_bytes(), WORKBOOK.name)])
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'class="verdict not_ready"' in text
    assert "尚未具备申报技术评估条件" in text
    assert "srcdoc=" not in text  # shown in the page, not in a frame
    assert text.count("尚未具备申报技术评估条件") == 1  # the verdict once
    assert '<div class="embedded" id="report">' in text
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', text))
    assert set(fields) == {"criteria", "year", "name", "content", "lang", "document"}
    fields["document"] = "report"
    docx = client.post("/check.docx", data=fields)
    assert docx.status_code == 200
    assert docx.data[:2] == b"PK"
    disposition = docx.headers["Content-Disposition"]
    disposition.encode("latin-1")  # a header the server can send as it is
    assert "filename*=UTF-8''%E4%BF%9D%E5%B1%B1%E5%B8%82_yunnan_2014.docx" in disposition
    report = json.loads(data_url(response, "download-json"))
    assert report["verdict"] == "not_ready"
    assert report["entity"]["name"] == "保山市"
    assert data_url(response, "download-html").startswith(b"<!DOCTYPE html>")


@pytest.mark.parametrize("source", [EXAMPLE, CASES / "ready_with_warnings.yaml"])
def test_check_reads_yaml_too(client, source: Path) -> None:
    response = upload(client, "/check", [(source.read_bytes(), source.name)])
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "document", "start", "named"),
    [
        ("/check.pdf", "report", b"%PDF-", "_yunnan_2014.pdf"),
        ("/check.pdf", "summary", b"%PDF-", "_yunnan_2014_%E4%B8%80%E9%A1%B5%E7%BA%B8.pdf"),
        (
            "/check.docx",
            "technical",
            b"PK",
            "_yunnan_2014_%E6%8A%80%E6%9C%AF%E6%8A%A5%E5%91%8A.docx",
        ),
    ],
)
def test_the_paper_downloads(client, path: str, document: str, start: bytes, named: str) -> None:
    content = base64.b64encode(EXAMPLE.read_bytes()).decode("ascii")
    fields = {"criteria": "yunnan_2014", "name": EXAMPLE.name, "content": content,
              "document": document}  # fmt: skip
    response = client.post(path, data=fields)
    assert response.status_code == 200
    assert response.data.startswith(start)
    assert response.headers["Content-Disposition"].endswith(named)
    assert client.post("/check.txt", data=fields).status_code == 404
    assert client.post(path, data={**fields, "document": "x"}).status_code == 404


def test_the_word_download_rejects_what_check_rejects(client) -> None:
    fields = {"criteria": "yunnan_2014", "name": "x.xlsx", "content": "bm90IGEgd29ya2Jvb2s="}
    assert client.post("/check.docx", data=fields).status_code == 422
    assert client.post("/check.docx", data={**fields, "content": "%%%"}).status_code == 400
    assert client.post("/check.docx", data={**fields, "name": "x.exe"}).status_code == 415


def test_no_file_is_a_400(client) -> None:
    response = client.post(
        "/check", data={"criteria": "yunnan_2014"}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert problems(response) == ["请选择要上传的数据文件"]


def test_wrong_file_type_is_a_415(client) -> None:
    response = upload(client, "/check", [(b"MZ\x90\x00", "setup.exe")], lang="en")
    assert response.status_code == 415
    assert problems(response) == [
        "setup.exe: unsupported file type; upload .yaml, .yml, .csv, .xlsx"
    ]


def test_a_broken_workbook_is_a_422_naming_the_users_file(client) -> None:
    response = upload(client, "/check", [(b"not a zip at all", "保山.xlsx")])
    assert response.status_code == 422
    lines = problems(response)
    assert lines[0].startswith("保山.xlsx: 不是可读取的 Excel(.xlsx) 文件")
    assert "ecoassess-upload-" not in response.get_data(as_text=True)


def test_bad_cells_are_listed_like_the_cli_does(client, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(WORKBOOK)
    sheet = book["数据"]
    target = next(row for row in sheet.iter_rows() if row[2].value == "forest_cover_rate")
    target[8].value = "约60"
    bad = tmp_path / "baoshan.xlsx"
    book.save(bad)
    response = upload(client, "/check", [(bad.read_bytes(), bad.name)])
    assert response.status_code == 422
    cli = CliRunner().invoke(main, ["check", str(bad), "--criteria", "yunnan_2014"])
    expected = [line.removeprefix("错误: ") for line in cli.output.splitlines()]
    shown = [line.replace("&#39;", "'") for line in problems(response)]
    assert shown == [line.replace(str(tmp_path) + "/", "") for line in expected]
    assert any("baoshan.xlsx!数据!I" in line and "约60" in line for line in shown)


def test_a_level_the_set_does_not_cover_is_a_422(client) -> None:
    county = REPO / "examples" / "lufeng_county_2023.yaml"
    response = upload(client, "/check", [(county.read_bytes(), county.name)])
    assert response.status_code == 422
    assert any("不适用于 county" in line for line in problems(response))


def test_an_oversized_body_is_a_413() -> None:
    client = create_app(max_upload_mb=1).test_client()
    response = upload(client, "/check", [(b"x" * (2 * 1024 * 1024), "big.csv")])
    assert response.status_code == 413
    assert "上限 1 MB" in problems(response)[0]


# Werkzeug leaves the spooled file of a part cut short to the garbage collector; collect it
# here, so that its ResourceWarning belongs to this test.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_malformed_multipart_is_a_4xx_without_a_traceback(client) -> None:
    response = client.post(
        "/check",
        data=b'--xyz\r\nContent-Disposition: form-data; name="data"; filename="a.csv"\r\n\r\n',
        content_type="multipart/form-data; boundary=xyz",
    )
    assert 400 <= response.status_code < 500
    assert "Traceback" not in response.get_data(as_text=True)
    gc.collect()


def test_an_uploaded_name_is_never_a_path(client) -> None:
    escape = Path(tempfile.gettempdir()) / "ecoassess-escape.yaml"
    escape.unlink(missing_ok=True)
    response = upload(client, "/check", [(EXAMPLE.read_bytes(), "../../../" + str(escape))])
    assert response.status_code == 200
    assert not escape.exists()
    assert safe_name("..\\..\\windows\\win.ini") == "win.ini"
    assert safe_name("../../..") == "upload"


def test_uploads_are_not_kept(client) -> None:
    before = set(Path(tempfile.gettempdir()).glob("ecoassess-upload-*"))
    upload(client, "/check", [(EXAMPLE.read_bytes(), EXAMPLE.name)])
    upload(client, "/check", [(b"broken", "x.xlsx")])
    assert set(Path(tempfile.gettempdir()).glob("ecoassess-upload-*")) == before


def test_another_host_name_is_refused(client) -> None:
    """A page for 127.0.0.1 must not answer for another name (DNS rebinding)."""
    response = client.get("/criteria", headers={"Host": "attacker.example"})
    assert response.status_code == 400


def test_batch_puts_ready_entities_first_and_links_their_reports(client) -> None:
    files = [(p.read_bytes(), p.name) for p in (EXAMPLE, CASES / "ready_with_warnings.yaml")]
    response = upload(client, "/batch", files)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    matrix = text.split('id="matrix"')[1].split("</table>")[0]
    verdicts = re.findall(r'<span class="tag (ready|not_ready)">', matrix)
    assert verdicts == ["ready", "not_ready"]
    links = re.findall(r'<a class="report-link" target="_blank" href="([^"]+)">([^<]+)</a>', matrix)
    assert [name for _, name in links] == ["示例市", "保山市"]
    # The matrix names its items: a column per item, headed by its number (name on hover).
    headers = re.findall(
        r'<th class="item" title="([^"]+)" scope="col"><span>([^<]+)</span>', matrix
    )
    assert len(headers) == 28  # yunnan_2014's items
    assert all(title.startswith(f"{number} ") for title, number in headers)
    rows = matrix.split("<tbody>")[1].split("</tr>")[:2]
    assert all(row.count('<td class="cell ') == len(headers) for row in rows)
    assert '<td class="cell fail">✘</td>' in rows[1]
    assert "<iframe" not in text  # reports are made on demand, not embedded
    csv_link = re.search(r'id="download-csv" href="([^"]+)"', text)[1]
    summary = client.get(csv_link).get_data().decode("utf-8-sig").splitlines()
    assert [row.split(",")[0] for row in summary[1:]] == ["保山市", "示例市"]
    json_link = re.search(r'id="download-json" href="([^"]+)"', text)[1]
    assert json.loads(client.get(json_link).get_data())["ready"] == ["示例市"]
    # One entity's report, made from the held upload.
    report_link = dict((name, href) for href, name in links)["保山市"].replace("&amp;", "&")
    response = client.get(report_link)
    assert response.status_code == 200
    report = response.get_data(as_text=True)
    assert "尚未具备申报技术评估条件" in report
    assert 'id="download-json"' in report
    token = report_link.split("/")[2]
    assert client.get(f"/batch/{token}/report?entity=无此市").status_code == 404
    assert client.get(report_link.replace(token, "x" * len(token))).status_code == 404


def test_batch_lists_rejected_inputs_with_their_reasons(client) -> None:
    response = upload(
        client, "/batch", [(EXAMPLE.read_bytes(), EXAMPLE.name), (b"values: [", "broken.yaml")]
    )
    assert response.status_code == 200
    lines = problems_in(response, "problems")
    assert any(line.startswith("broken.yaml") for line in lines)


def problems_in(response, css_class: str) -> list[str]:
    text = response.get_data(as_text=True)
    block = text.split(f'class="{css_class}"')[1].split("</ul>")[0]
    return re.findall(r"<li>(.*?)</li>", block)


def test_diff_shows_what_only_one_set_has(client) -> None:
    text = client.get("/diff?a=yunnan_2014&b=national_demo_area").get_data(as_text=True)
    assert "仅在 yunnan_2014 中的条目" in text
    assert "仅在 national_demo_area 中的条目" in text
    assert "两者都有但要求不同的条目" in text


def test_a_bad_year_is_a_400(client) -> None:
    response = upload(client, "/check", [(EXAMPLE.read_bytes(), EXAMPLE.name)], year="16")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("host", "local"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False),
     ("192.168.1.5", False), ("example.org", False)],
)  # fmt: skip
def test_loopback_hosts(host: str, local: bool) -> None:
    assert is_loopback(host) is local


def test_serve_refuses_a_reachable_host_without_allow_remote() -> None:
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--allow-remote" in result.output


def test_criteria_path_adds_a_users_own_set(tmp_path: Path) -> None:
    from tests.conftest import write_set

    write_set(tmp_path)
    client = create_app([tmp_path]).test_client()
    listing = client.get("/criteria").get_data(as_text=True)
    assert 'href="/criteria/mini?lang=zh"' in listing
    page = client.get("/criteria/mini").get_data(as_text=True)
    assert "迷你指标体系" in page


def test_a_set_is_compiled_once_and_again_when_its_file_changes(tmp_path: Path) -> None:
    import os

    from tests.conftest import write_set

    folder = write_set(tmp_path)
    client = create_app([tmp_path]).test_client()
    assert "迷你指标体系" in client.get("/criteria/mini").get_data(as_text=True)
    criteria_file = folder / "criteria.yaml"
    criteria_file.write_text(
        criteria_file.read_text(encoding="utf-8").replace("迷你指标体系", "改过的指标体系"),
        encoding="utf-8",
    )
    stat = criteria_file.stat()
    os.utime(criteria_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert "改过的指标体系" in client.get("/criteria/mini").get_data(as_text=True)


def test_a_held_batch_expires_and_the_oldest_go_first() -> None:
    from engine.web.held import BatchStore

    store = BatchStore(hold_seconds=0.05, max_bytes=10)
    old = store.hold("yunnan_2014", None, [("a.yaml", b"123456")])
    new = store.hold("yunnan_2014", None, [("b.yaml", b"123456")])
    assert store.get(old) is None  # over 10 bytes: the oldest is forgotten
    assert store.get(new) is not None
    import time

    time.sleep(0.06)
    assert store.get(new) is None
    assert len(new) == 32


def test_the_page_says_how_long_a_batch_is_held() -> None:
    from engine.resources import labels
    from engine.web.held import HOLD_SECONDS

    for lang in ("zh", "en"):
        assert f"{HOLD_SECONDS // 60}" in labels()[lang]["web_local_note"]


def test_an_upload_name_over_255_bytes_is_shortened_not_a_500(client) -> None:
    """Issue 15, defect 14."""
    name = "县" * 120 + ".yaml"
    response = upload(client, "/check", [(EXAMPLE.read_bytes(), name)])
    assert response.status_code == 200
    assert len(safe_name(name).encode()) <= 200
    assert safe_name(name).endswith(".yaml")


# --- issue 15 weaknesses: cross-site posts, the Host check with --allow-remote -------------


@pytest.mark.parametrize(
    ("headers", "refused"),
    [
        ({"Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"}, True),
        ({"Sec-Fetch-Site": "same-site"}, True),
        ({"Origin": "http://evil.example"}, True),
        ({"Origin": "null"}, True),
        ({"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}, False),
        ({"Sec-Fetch-Site": "same-origin", "Origin": "null"}, False),
        ({"Origin": "http://localhost"}, False),
        ({}, False),  # not a browser page: curl, a script the user runs
    ],
)
def test_a_cross_site_form_post_is_refused(client, headers: dict, refused: bool) -> None:
    """With the xlsx and unknown-key defects, any page the user opened elsewhere could make
    the workbench use gigabytes or a core for minutes: cross-site posts are refused."""
    response = client.post(
        "/check",
        data={"criteria": "yunnan_2014", "data": [(WORKBOOK.open("rb"), "b.xlsx")]},
        content_type="multipart/form-data",
        headers=headers,
    )
    assert (response.status_code == 403) is refused, response.status_code
    if refused:
        assert "跨站请求被拒绝" in response.get_data(as_text=True)


def test_remote_serving_keeps_the_host_check_with_the_names_given() -> None:
    from engine.web.server import trusted_hosts

    names = trusted_hosts("0.0.0.0", ["eco.example.org", "192.168.1.20"])
    assert {"eco.example.org", "192.168.1.20", "127.0.0.1", "localhost"} <= set(names)
    assert "0.0.0.0" not in names
    remote = create_app(trusted_hosts=names).test_client()
    assert remote.get("/criteria", headers={"Host": "eco.example.org:8765"}).status_code == 200
    assert remote.get("/criteria", headers={"Host": "192.168.1.20"}).status_code == 200
    assert remote.get("/criteria", headers={"Host": "rebound.attacker.example"}).status_code == 400
    assert "10.0.0.5" in trusted_hosts("10.0.0.5")


def test_the_progress_page_makes_the_bulletin(client) -> None:  # type: ignore[no-untyped-def]
    """What ecoassess progress does, in the workbench (issue 19: /progress was 404)."""
    snapshots = sorted((REPO / "examples" / "progress").glob("*.yaml"))
    assert client.get("/progress").status_code == 200
    response = upload(client, "/progress", [(p.read_bytes(), p.name) for p in snapshots])
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "创建工作进展通报" in html
    assert 'id="download-docx"' in html
    one = upload(client, "/progress", [(snapshots[0].read_bytes(), snapshots[0].name)])
    assert one.status_code == 400


def test_the_set_picker_reads_the_workbook_by_default(client) -> None:
    """Issue 19: the picker defaulted to the first set alphabetically; a workbook naming its
    set (its first row, 指标体系) is checked against that set unless another is chosen."""
    form = client.get("/check").get_data(as_text=True)
    assert '<select id="check-set" name="criteria"><option value="" selected>' in form
    response = upload(client, "/check", [(WORKBOOK.read_bytes(), WORKBOOK.name)], criteria="")
    assert response.status_code == 200
    assert "云南省生态文明州(市)建设指标" in response.get_data(as_text=True)
    batch = upload(client, "/batch", [(WORKBOOK.read_bytes(), WORKBOOK.name)], criteria="")
    assert batch.status_code == 200
    named_none = upload(client, "/check", [(EXAMPLE.read_bytes(), EXAMPLE.name)], criteria="")
    assert named_none.status_code == 400
    assert problems(named_none) == [
        "baoshan_2016.yaml: 文件未注明指标体系(工作簿第 1 行的“指标体系”)；请在上方选择指标体系"
    ]
    # Another set chosen: one line that says which set the workbook is for.
    other = upload(client, "/check", [(WORKBOOK.read_bytes(), WORKBOOK.name)],
                   criteria="national_demo_area")  # fmt: skip
    assert other.status_code == 422
    lines = problems(other)
    assert len(lines) == 1
    assert "此工作簿注明的指标体系为 yunnan_2014，与所选的 national_demo_area 不同" in lines[0]
