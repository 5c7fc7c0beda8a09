"""The supervisory authority a subject may complain to, when the organisation names none.

GDPR Art. 77(1): every data subject may lodge a complaint with a supervisory authority,
"in particular in the Member State of his or her habitual residence". So a refusal names
the organisation's own authority where its policy names one, else the authority of the
subject's country of residence, else the authority of the law the request runs under; it
is never empty.

Sources for the table: the EDPB's list of its members, the national supervisory
authorities of the EU and EEA (https://www.edpb.europa.eu/about-edpb/about-edpb/members_en);
UK GDPR Art. 77 and the Data Protection Act 2018 s. 165 (the ICO); Cal. Civ. Code
§ 1798.199.10 and § 1798.199.45 (the California Privacy Protection Agency, which
investigates on a consumer's sworn complaint).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from routing.models import Request

EDPB_MEMBERS = "https://www.edpb.europa.eu/about-edpb/about-edpb/members_en"


@dataclass(frozen=True)
class Authority:
    name: str
    url: str
    source: str


def _eea(name: str, url: str) -> Authority:
    return Authority(name, url, f"GDPR Art. 77(1); EDPB members ({EDPB_MEMBERS})")


# By ISO 3166-1 country code: the 27 EU member states and the EEA's Iceland,
# Liechtenstein and Norway, then the United Kingdom.
BY_COUNTRY: dict[str, Authority] = {
    "AT": _eea("Österreichische Datenschutzbehörde", "https://www.dsb.gv.at"),
    "BE": _eea("Autorité de protection des données", "https://www.autoriteprotectiondonnees.be"),
    "BG": _eea("Commission for Personal Data Protection", "https://www.cpdp.bg"),
    "CY": _eea("Commissioner for Personal Data Protection", "https://www.dataprotection.gov.cy"),
    "CZ": _eea("Úřad pro ochranu osobních údajů", "https://uoou.gov.cz"),
    "DE": _eea(
        "Bundesbeauftragte für den Datenschutz und die Informationsfreiheit",
        "https://www.bfdi.bund.de",
    ),
    "DK": _eea("Datatilsynet", "https://www.datatilsynet.dk"),
    "EE": _eea("Andmekaitse Inspektsioon", "https://www.aki.ee"),
    "ES": _eea("Agencia Española de Protección de Datos", "https://www.aepd.es"),
    "FI": _eea("Tietosuojavaltuutetun toimisto", "https://tietosuoja.fi"),
    "FR": _eea("CNIL", "https://www.cnil.fr"),
    "GR": _eea("Hellenic Data Protection Authority", "https://www.dpa.gr"),
    "HR": _eea("Agencija za zaštitu osobnih podataka", "https://azop.hr"),
    "HU": _eea("Nemzeti Adatvédelmi és Információszabadság Hatóság", "https://naih.hu"),
    "IE": _eea("Data Protection Commission", "https://www.dataprotection.ie"),
    "IT": _eea("Garante per la protezione dei dati personali", "https://www.garanteprivacy.it"),
    "LT": _eea("Valstybinė duomenų apsaugos inspekcija", "https://vdai.lrv.lt"),
    "LU": _eea("Commission nationale pour la protection des données", "https://cnpd.public.lu"),
    "LV": _eea("Datu valsts inspekcija", "https://www.dvi.gov.lv"),
    "MT": _eea("Information and Data Protection Commissioner", "https://idpc.org.mt"),
    "NL": _eea("Autoriteit Persoonsgegevens", "https://autoriteitpersoonsgegevens.nl"),
    "PL": _eea("Urząd Ochrony Danych Osobowych", "https://uodo.gov.pl"),
    "PT": _eea("Comissão Nacional de Proteção de Dados", "https://www.cnpd.pt"),
    "RO": _eea(
        "Autoritatea Naţională de Supraveghere a Prelucrării Datelor cu Caracter Personal",
        "https://www.dataprotection.ro",
    ),
    "SE": _eea("Integritetsskyddsmyndigheten", "https://www.imy.se"),
    "SI": _eea("Informacijski pooblaščenec", "https://www.ip-rs.si"),
    "SK": _eea("Úrad na ochranu osobných údajov", "https://dataprotection.gov.sk"),
    "IS": _eea("Persónuvernd", "https://www.personuvernd.is"),
    "LI": _eea("Datenschutzstelle", "https://www.datenschutzstelle.li"),
    "NO": _eea("Datatilsynet", "https://www.datatilsynet.no"),
    "GB": Authority(
        "Information Commissioner's Office",
        "https://ico.org.uk",
        "UK GDPR Art. 77; Data Protection Act 2018 s. 165",
    ),
}

CPPA = Authority(
    "California Privacy Protection Agency",
    "https://cppa.ca.gov",
    "Cal. Civ. Code § 1798.199.10 and § 1798.199.45",
)

# By country and first-level subdivision, where a state has its own authority.
BY_REGION: dict[tuple[str, str], Authority] = {("US", "CA"): CPPA}

# The law's own authority, when the subject's residence names none.
BY_REGIME: dict[str, Authority] = {
    "gdpr": Authority(
        gettext_noop("the data protection authority of your country of residence"),
        EDPB_MEMBERS,
        "GDPR Art. 77(1)",
    ),
    "uk-gdpr": BY_COUNTRY["GB"],
    "ccpa": CPPA,
    "quebec-law25": Authority(
        "Commission d'accès à l'information du Québec",
        "https://www.cai.gouv.qc.ca",
        "Act respecting the protection of personal information in the private sector, s. 55",
    ),
    "pipeda": Authority(
        "Office of the Privacy Commissioner of Canada", "https://www.priv.gc.ca", "PIPEDA s. 11"
    ),
    "hk-pdpo": Authority(
        "Office of the Privacy Commissioner for Personal Data",
        "https://www.pcpd.org.hk",
        "PDPO s. 37",
    ),
    "lgpd": Authority(
        "Autoridade Nacional de Proteção de Dados", "https://www.gov.br/anpd", "LGPD Art. 55-J"
    ),
}


def residence_authority(country: str, region: str = "") -> Authority | None:
    country = (country or "").upper()
    return BY_REGION.get((country, (region or "").upper())) or BY_COUNTRY.get(country)


def authority_for(request: Request) -> Authority:
    """Whom the subject of ``request`` may complain to (see the module's note)."""
    organisation = request.organisation
    if organisation.authority_name:
        return Authority(organisation.authority_name, organisation.authority_url, "policy")
    return (
        residence_authority(request.subject_country, request.subject_region)
        or BY_REGIME.get(request.regime)
        or BY_REGIME["gdpr"]
    )
