"""`helpline agencies import` and `find`: bad rows by line number, re-imports that update."""

from api.agencies.models import Agency


async def count_agencies(api) -> int:
    from sqlalchemy import func, select

    async with api._transport.app.state.sessionmaker() as session:
        return await session.scalar(select(func.count(Agency.id)))


async def match(api, query: str) -> dict:
    response = await api.get("/api/v1/agencies/match", params={"q": query})
    assert response.status_code == 200, response.text
    return response.json()


async def test_bad_rows_are_reported_by_line_and_the_rest_imported(helpline_command, csv_file, api):
    path = csv_file(
        "# an export of 2026-01-15\n"  # line 2
        "PT Sumber Rejeki Abadi (SAMPLE),KEP.001/SAMPLE/2024,Kupang,active,2026-01-15\n"
        ",KEP.002/SAMPLE/2024,Kupang,active,2026-01-15\n"  # line 4: no name
        "PT Karya Mandiri Utama (SAMPLE),KEP.003/SAMPLE/2024,Kupang,closed,2026-01-15\n"
        "PT Bintang Timur Lestari (SAMPLE),KEP.004/SAMPLE/2023,Atambua,suspended,15/01/2026\n"
        "PT Lontar Harapan Bangsa (SAMPLE),KEP 001 SAMPLE 2024,Soe,active,2026-01-15\n"
        "PT.,KEP.006/SAMPLE/2024,Kupang,active,2026-01-15\n"  # line 8: no name but PT
        "PT Teguh Bersama Makmur (SAMPLE),KEP.010/SAMPLE/2024,Ende,aktif,2099-01-01\n"
        "\n"
        'PT Cendana Wangi Utama (SAMPLE),KEP.011/SAMPLE/2025,"Jl. Contoh, Waingapu",dicabut,'
        "2026-01-15\n"  # line 11: Indonesian status word, quoted comma
    )
    code, out, _err = await helpline_command("agencies", "import", path)
    assert code == 0
    assert out.splitlines() == [
        "line 4: no name",
        "line 5: unknown status 'closed' (use active, suspended or revoked)",
        "line 6: source date '15/01/2026' is not YYYY-MM-DD",
        "line 7: the same company as line 3",
        "line 8: name 'PT.' has no words besides the legal form",
        "line 9: source date 2099-01-01 is in the future",
        "added 2, updated 0, unchanged 0, refused 6",
    ]
    assert await count_agencies(api) == 2
    cendana = await match(api, "cendana wangi utama")
    assert cendana["result"] == "revoked"
    assert cendana["agency"]["address"] == "Jl. Contoh, Waingapu"


async def test_reimport_updates_by_licence_else_by_name_instead_of_duplicating(
    helpline_command, csv_file, api
):
    first = csv_file(
        "PT Sumber Rejeki Abadi (SAMPLE),KEP.001/SAMPLE/2024,Kupang,active,2026-01-15\n"
        "PT Karya Mandiri Utama (SAMPLE),,Kupang,active,2026-01-15\n"
        "PT Anugerah Timor Raya (SAMPLE),KEP.009/SAMPLE/2020,Kefamenanu,active,2026-01-15\n"
    )
    assert (await helpline_command("agencies", "import", first))[1].endswith(
        "added 3, updated 0, unchanged 0, refused 0\n"
    )
    second = csv_file(
        # renamed, same licence written differently: the same company, now suspended
        "PT. Sumber Rejeki Abadi Nusantara (SAMPLE),kep-001-sample-2024,Kupang,suspended,"
        "2026-02-01\n"
        # no licence before: found by its name, now with a licence and a new address
        "P.T. KARYA MANDIRI UTAMA (SAMPLE),KEP.002/SAMPLE/2024,Jl. Contoh 2,active,2026-02-01\n"
        "PT Anugerah Timor Raya (SAMPLE),KEP.009/SAMPLE/2020,Kefamenanu,active,2026-02-01\n"
        "PT Bukit Kasih Sentosa (SAMPLE),KEP.013/SAMPLE/2024,Kupang,active,2026-02-01\n"
    )
    code, out, _err = await helpline_command("agencies", "import", second)
    assert (code, out) == (0, "added 1, updated 2, unchanged 1, refused 0\n")
    assert await count_agencies(api) == 4
    renamed = await match(api, "KEP 001/SAMPLE/2024")
    assert renamed["result"] == "suspended"
    assert renamed["agency"]["name"] == "PT. Sumber Rejeki Abadi Nusantara (SAMPLE)"
    karya = await match(api, "karya mandiri utama")
    assert karya["agency"]["licence_number"] == "KEP.002/SAMPLE/2024"
    assert karya["agency"]["address"] == "Jl. Contoh 2"
    unchanged = await match(api, "anugerah timor raya")
    assert unchanged["agency"]["source_date"] == "2026-02-01"  # confirmed by the newer export
    assert unchanged["source_date"] == "2026-02-01"


async def test_source_date_option_and_semicolons(helpline_command, csv_file, api):
    path = csv_file(
        "PT Sumber Rejeki Abadi (SAMPLE);KEP.001/SAMPLE/2024;ACTIVE\n"
        "PT Bintang Timur Lestari (SAMPLE);KEP.004/SAMPLE/2023;suspended;2025-12-01\n",
        header="Name;Licence_Number;Status;Source_Date\n",
    )
    code, out, _err = await helpline_command(
        "agencies", "import", path, "--source-date", "2026-01-20"
    )
    assert (code, out) == (0, "added 2, updated 0, unchanged 0, refused 0\n")
    assert (await match(api, "sumber rejeki abadi"))["agency"]["source_date"] == "2026-01-20"
    assert (await match(api, "bintang timur"))["agency"]["source_date"] == "2025-12-01"


async def test_a_file_without_the_needed_columns_is_refused(helpline_command, csv_file, api):
    code, _out, err = await helpline_command(
        "agencies", "import", csv_file("PT X,Kupang\n", header="name,address\n")
    )
    assert code == 2
    assert "the header has no status column" in err
    code, _out, err = await helpline_command("agencies", "import", "/no/such/file.csv")
    assert code == 2 and "cannot read /no/such/file.csv" in err
    code, _out, err = await helpline_command(
        "agencies", "import", csv_file(""), "--source-date", "yesterday"
    )
    assert code == 2 and "'yesterday' is not a date YYYY-MM-DD" in err
    assert await count_agencies(api) == 0


async def test_find_prints_the_match_and_its_data(helpline_command, sample_registry):
    code, out, _err = await helpline_command("agencies", "find", "pt", "sumber", "rezeki")
    assert code == 0
    assert out.splitlines() == [
        "licensed (score 75.9, registry of 2026-01-15)",
        "- PT Sumber Rejeki Abadi (SAMPLE) | licence KEP.001/SAMPLE/2024 | active | "
        "Jl. Contoh No. 1, Kota Kupang (sample data) | source 2026-01-15",
    ]
    code, out, _err = await helpline_command("agencies", "find", "karya mandiri")
    assert out.startswith("ambiguous") and "Utama" in out and "Sejahtera" in out
    code, out, _err = await helpline_command("agencies", "find", "PT Maju Terus Pantang Mundur")
    assert out.splitlines()[0].startswith("not_found")


async def test_find_on_an_empty_registry_says_to_import(helpline_command):
    code, out, _err = await helpline_command("agencies", "find", "sumber")
    assert code == 0 and "the registry is empty" in out


def test_content_check_validates_the_sample_registry(tmp_path, monkeypatch, capsys):
    import shutil

    from api.settings import PROJECT_ROOT
    from helpline.cli import main

    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    monkeypatch.setenv("HELPLINE_CONTENT_DIR", str(content))
    assert main(["content", "check"]) == 0
    with (content / "agencies-sample.csv").open("a", encoding="utf-8") as sample:
        sample.write("PT Contoh Salah (SAMPLE),,Kupang,closed,2026-01-15\n")
    assert main(["content", "check"]) == 1
    assert "agencies-sample.csv:19: unknown status 'closed'" in capsys.readouterr().out
