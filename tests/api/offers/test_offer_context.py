"""Legal offers, negation and warnings that quote scam phrases come out low."""

import pytest

from api.offers import service

LEGAL_OFFERS = [
    "PT Sumber Rejeki (SIP3MI terdaftar) membuka lowongan operator pabrik Malaysia. Daftar di "
    "Disnaker, pelatihan di BLK, gratis biaya penempatan sesuai peraturan.",
    "Paspor diurus sendiri di kantor imigrasi, medical di klinik resmi, kontrak ditandatangani "
    "di depan petugas Disnaker.",
    "Caregiver Taiwan, salary NT$20,000/month, licensed agency, training before departure.",
    "Lowongan ART Hongkong gaji HK$ 5.100, proses resmi lewat PT, tanpa potongan gaji, biaya "
    "penempatan ditanggung majikan.",
    "Factory job in Malaysia, salary RM1,700, employer pays visa and ticket, no deductions.",
    "Kerja restoran di Kupang, gaji 2,5 juta per bulan, datang langsung ke kantor.",
    "Seleksi program G to G Korea lewat KP2MI, tanpa biaya selain biaya ujian resmi.",
    "Ada karja di toko di Atambua, gaji bulanan, datang langsung sa.",
]

NEGATED = [
    "Tidak dipungut biaya pendaftaran.",
    "Tanpa potongan gaji.",
    "No registration fee, no deposit.",
    "Biaya penempatan gratis.",
    "Gaji tidak dipotong untuk biaya tiket.",
    "Bukan calo, kami perusahaan resmi.",
]

WARNINGS = [
    "Awas penipuan lowongan kerja! Jangan bayar biaya pendaftaran ke rekening pribadi.",
    "Ati-ati deng orang yang bilang son perlu paspor, itu tipu.",
    "Hati-hati! Calo sering janji gaji 20 juta dan minta uang jaminan. Laporkan ke Disnaker.",
    "Beware of recruiters who ask you to pay a deposit or to travel on a tourist visa.",
    "Waspada modus visa turis untuk kerja di Arab Saudi.",
]


@pytest.mark.parametrize("text", LEGAL_OFFERS + NEGATED + WARNINGS)
def test_legal_negated_and_warning_texts_are_low(offer_rules, text: str) -> None:
    result = service.check(text, "id", offer_rules)
    assert result.risk == "low", [flag.id for flag in result.flags]


def test_the_word_gratis_alone_is_not_a_flag(flags_of) -> None:
    assert flags_of("GRATIIIS pelatihan dan medical di klinik resmi") == set()


def test_negation_is_limited_to_its_clause(flags_of) -> None:
    assert "upfront_fee" in flags_of("Tiket gratis, tapi bayar biaya pendaftaran 1 juta")
    assert "debt_bondage" in flags_of("Tanpa biaya di depan; semua dipotong dari gaji")


def test_a_scam_that_denies_being_a_scam_is_still_flagged(flags_of) -> None:
    assert "upfront_fee" in flags_of("100% bukan penipuan! Transfer uang jaminan 2 juta dulu")


def test_a_short_warning_heading_covers_the_next_sentence(flags_of) -> None:
    assert flags_of("Awas penipuan! Calo minta uang jaminan 5 juta.") == set()
    assert "upfront_fee" in flags_of("Awas kehabisan kuota! Bayar uang jaminan 5 juta.")
