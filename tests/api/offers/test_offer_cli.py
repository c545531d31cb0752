"""`helpline check-offer --jsonl` and `helpline eval offers`, as documented in the README."""

import json
import subprocess
import sys

from api.settings import PROJECT_ROOT


def helpline(*args: str, stdin: str = "") -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "helpline.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
    )
    return completed.stdout


def test_check_offer_jsonl_one_line_per_input_in_order():
    lines = [
        json.dumps({"text": "Gaji 20jt sebulan, tidak perlu paspor, berangkat besok"}),
        "not json",
        json.dumps(
            {"text": "Lowongan resmi lewat Disnaker, gratis biaya penempatan sesuai peraturan"}
        ),
    ]
    outputs = [
        json.loads(line)
        for line in helpline("check-offer", "--jsonl", stdin="\n".join(lines)).splitlines()
    ]
    assert [o["risk"] for o in outputs] == ["high", "low", "low"]
    assert "no_documents" in outputs[0]["flags"]
    assert all(set(o) == {"risk", "flags"} for o in outputs)


def test_check_offer_prints_flags_with_excerpts():
    out = helpline(
        "check-offer", "--lang", "en", stdin="Kerja LC karaoke di Malaysia, paspor ditahan agen"
    )
    assert out.startswith("risk: high")
    assert "sexual_exploitation_risk" in out and "«" in out


def test_eval_offers_prints_quality(dev_offers):
    out = helpline("eval", "offers", str(dev_offers))
    assert "recall" in out.lower() and "precision" in out.lower()
