"""Each flag: offers that raise it, and a tricky offer that must not."""

import pytest

POSITIVE = [
    ("upfront_fee", "Transfer uang administrasi Rp 750.000 ke rekening BRI a.n. Yohana dulu"),
    ("upfront_fee", "Pay $300 processing fee before your interview"),
    ("upfront_fee", "Kalo mo iko, kasi masuk doi 500 ribu ko beta urus"),
    ("salary_too_good", "Kerja kebun di Sarawak, gaji RM 6.000 sebulan"),
    ("salary_too_good", "Job in Dubai, salary 4000 USD per month for cleaners"),
    ("no_documents", "Paspor tidak usah, cukup bawa KTP saja"),
    ("no_documents", "No passport needed, we arrange everything"),
    ("visit_visa", "Masuk pakai pas lawatan, sampai sana baru kerja"),
    ("visit_visa", "You will travel as a tourist and start work after"),
    ("fast_departure", "Proses kilat, terbang 3 hari lagi"),
    ("fast_departure", "No training needed, you fly tomorrow"),
    ("underage", "Umur 16 tahun boleh ikut kerja jaga anak"),
    ("underage", "Girls aged 15 and above are welcome"),
    ("document_retention", "Ijazah asli dan KTP asli ditahan sebagai jaminan"),
    ("document_retention", "Your passport will be held by the agency"),
    ("debt_bondage", "Tiket kami talangi, nanti dicicil dari gaji"),
    ("debt_bondage", "The agency pays your costs, you repay from your salary"),
    ("secrecy", "Berangkat diam-diam saja, jangan pamit ke kepala desa"),
    ("secrecy", "Do not tell your parents about this job"),
    ("unlicensed_recruiter", "Saya sponsor, tidak perlu lewat perusahaan"),
    ("unlicensed_recruiter", "Contact me on WhatsApp only, no agency"),
    ("irregular_route", "Kita menyeberang dari Nunukan naik speedboat tengah malam"),
    ("irregular_route", "We cross the border at night through the jungle"),
    ("sexual_exploitation_risk", "Dicari cewek cantik untuk LC karaoke"),
    ("sexual_exploitation_risk", "Massage therapists wanted, good looking ladies"),
    ("vague_job", "Pekerjaannya nanti dikasih tahu di sana"),
    ("vague_job", "Any kind of job, details on arrival"),
    ("family_payment", "Orang tua langsung terima uang 3 juta sebelum berangkat"),
    ("family_payment", "Your parents will get cash before you go"),
    ("cash_advance", "mereka belum bayar, tapi malah dikasih DP"),
    ("cash_advance", "Daftar sekarang, langsung dapat uang saku 2 juta"),
    ("carry_package", "Tolong bawakan paket ini ke Kuala Lumpur, nanti dikasih upah 5 juta"),
    ("carry_package", "You only need to carry a package for my friend to Hong Kong"),
    ("closed_destination", "Dicari ART untuk majikan di Riyadh, gaji 6 juta"),
    ("closed_destination", "Maids needed for families in Dubai, fly next month"),
    ("scam_compound", "Lowongan customer service di Kamboja, gaji 1.000 USD, tanpa pengalaman"),
    ("scam_compound", "Dicari admin situs judi online, gaji 12 juta"),
]

# The ways real recruiters say it (issue 12): meaning, not one spelling.
PHRASINGS = [
    (
        "visit_visa",
        "nanti kalau ditanya jangan ngaku kerja, tapi ngakunya wisata atau mengunjungi keluarga",
    ),
    ("debt_bondage", "syaratnya cuma dua bulan gaji aja bang"),
    ("document_retention", "paspor dibawa agen, dan suruh tandatangan"),
    ("no_documents", "tidak pakai apa-apa, katanya kerja sawit di Malaysia"),
    (
        "unlicensed_recruiter",
        "a broker told me an employer in Hong Kong needed domestic workers urgently",
    ),
    ("cash_advance", "mereka belum bayar, tapi malah dikasih DP"),
    # from the pages of the grown field dev set
    (
        "visit_visa",
        "The police said that our visas were only for tourists and were not for working",
    ),
    ("upfront_fee", "masing-masing menyetorkan Rp 3 juta untuk pengurusan dokumen"),
    ("document_retention", "dokumen CW seperti KTP, Paspor dan KK masih di agen"),
    (
        "debt_bondage",
        "tidak dipungut biaya, tetapi akan membayar setelah bekerja sebesar Rp 10.000.000",
    ),
    ("unlicensed_recruiter", "Ia ditipu rekan ayahnya yang menawari pekerjaan di Singapura"),
    ("carry_package", "Dikasih tiket ke luar negeri, dalam perjalanan dititipi tas berisi narkoba"),
    (
        "fast_departure",
        "dijanjikan bisa bekerja di Jepang tanpa harus mengikuti ujian atau menunggu lama",
    ),
    # from a fresh set of offers quoted in news pages (8 Dec), each once read as low risk
    ("visit_visa", "Pemberkasan itu dokumennya KTP sama KK. Paspor dan visa-nya itu ziarah"),
    ("cash_advance", "ada kasbonan uang untuk peninggalan keluarga dirumah sebesar Rp2 juta"),
    ("cash_advance", "Justru sebaliknya, ia dibekali Rp3 juta sebelum berangkat"),
    ("upfront_fee", "Kawan ngajak, kamu mau kerja gak? Siapkan uang Rp 7 juta"),
    ("upfront_fee", "Sebelum berangkat harus trasfer uang sekitar Rp 2.000.000"),
    ("upfront_fee", "Untuk proses harus bayar Rp.2.000.000 ke saya"),
    ("debt_bondage", "Semua akomodasi ditanggung agen. Tapi gaji 4 bulan nanti yang dipotong"),
    ("vague_job", "agensinya bilang berangkat dulu ke Taiwan nanti kita cari pekerjaan"),
    ("secrecy", "Di kapal duduk harus terpisah supaya tidak ada yang curiga"),
]

NEGATIVE = [
    ("upfront_fee", "Kami tidak memungut biaya pendaftaran dari calon pekerja"),
    ("salary_too_good", "Kerja kebun di Sarawak, gaji RM 1.700 sebulan"),
    # Taiwan's minimum wage restated in rupiah: the currency says where, for the rupiah too
    ("salary_too_good", "Kontrak tiga tahun, gaji NT$28.590 atau setara Rp15.569.099 per bulan"),
    ("no_documents", "Paspor diurus sendiri di kantor imigrasi sesuai prosedur"),
    ("visit_visa", "Pekerja masuk Malaysia dengan Visitor Pass (Temporary Employment)"),
    ("fast_departure", "Tidak langsung berangkat: ikut pelatihan dan medical dulu"),
    ("fast_departure", "Dibutuhkan segera operator pabrik di Taiwan lewat PT resmi"),
    ("underage", "Syarat usia 18 sampai 35 tahun"),
    ("document_retention", "Simpan sendiri paspor Anda, jangan titip ke agen"),
    ("document_retention", "Perusahaan tidak menahan paspor pekerja"),
    ("debt_bondage", "Gaji dibayar penuh tanpa potongan"),
    ("secrecy", "Jangan lupa lapor ke Disnaker sebelum berangkat"),
    ("unlicensed_recruiter", "Tanpa calo, daftar langsung di kantor PT berizin"),
    ("irregular_route", "Jangan pernah lewat jalur tikus"),
    ("sexual_exploitation_risk", "Lowongan pelayan restoran keluarga di Kupang"),
    ("vague_job", "Detail pekerjaan dijelaskan saat interview di kantor"),
    ("family_payment", "Gaji bisa dikirim ke keluarga setiap bulan lewat bank"),
    ("cash_advance", "Bonus akhir tahun untuk pekerja yang rajin"),
    ("carry_package", "Jangan mau kalau disuruh bawa titipan orang ke luar negeri"),
    ("closed_destination", "Lowongan perawat rumah sakit di Arab Saudi lewat P3MI resmi"),
    ("scam_compound", "KBRI Phnom Penh memulangkan 20 WNI yang bekerja di Kamboja"),
    ("scam_compound", "Kalau ada tawaran bekerja di Kamboja, tolong jangan langsung percaya."),
]


@pytest.mark.parametrize(("flag", "text"), POSITIVE)
def test_offer_raises_flag(flags_of, flag: str, text: str) -> None:
    assert flag in flags_of(text)


@pytest.mark.parametrize(("flag", "text"), PHRASINGS)
def test_real_phrasing_raises_flag(flags_of, flag: str, text: str) -> None:
    assert flag in flags_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "Waspada! Tawaran kerja PRT ke Arab Saudi itu ilegal",
        "Jangan mau kalau ada yang bilang cukup bawa KTP saja",
        "Dia menekankan agar tidak mudah tergiur dengan iming-iming gaji tinggi dan keberangkatan"
        " yang cepat",
        "Calo sering merayu dengan janji gaji besar dan proses mudah tanpa dokumen lengkap",
    ],
)
def test_warnings_raise_nothing(flags_of, text: str) -> None:
    assert flags_of(text) == set()


@pytest.mark.parametrize(("flag", "text"), NEGATIVE)
def test_tricky_offer_does_not_raise_flag(flags_of, flag: str, text: str) -> None:
    assert flag not in flags_of(text)


def test_every_flag_is_tested() -> None:
    from api.offers.schemas import FLAG_IDS

    assert {flag for flag, _ in POSITIVE} == set(FLAG_IDS)
    assert {flag for flag, _ in NEGATIVE} == set(FLAG_IDS)
