"""The sandbox's built-in LinkedIn catalogue, for ``GET /linkedin/search/parameters``.

Ids are fixed (the same on every run and every seed) and have the documented formats:
digits for titles, companies, locations and industries; lowercase letters for job
functions. A few ids are LinkedIn's real ones (Berlin is 106967730 on LinkedIn too), the
rest are made up. Matching is case-insensitive: every word of ``keywords`` must appear
in the title.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = ["CATALOGUE", "SEARCH_TYPES", "location_title", "search"]

_Entry = tuple[str, str]

_LOCATIONS: Final[tuple[_Entry, ...]] = (
    ("106967730", "Berlin, Germany"),
    ("105015875", "Paris, Île-de-France, France"),
    ("102257491", "London, England, United Kingdom"),
    ("105080838", "New York, New York, United States"),
    ("100364837", "Munich, Bavaria, Germany"),
    ("106430557", "Hamburg, Germany"),
    ("102890719", "Amsterdam, North Holland, Netherlands"),
    ("104170880", "Madrid, Community of Madrid, Spain"),
    ("107025191", "Barcelona, Catalonia, Spain"),
    ("102478259", "Rome, Latium, Italy"),
    ("100761630", "Milan, Lombardy, Italy"),
    ("106693272", "Zurich, Switzerland"),
    ("100456013", "Vienna, Austria"),
    ("103644278", "Dublin, County Dublin, Ireland"),
    ("102748797", "Bretagne, France"),
    ("104116203", "Lyon, Auvergne-Rhône-Alpes, France"),
    ("102277331", "San Francisco, California, United States"),
    ("102448103", "Los Angeles, California, United States"),
    ("103112676", "Chicago, Illinois, United States"),
    ("104472865", "Boston, Massachusetts, United States"),
    ("104116109", "Seattle, Washington, United States"),
    ("100025096", "Toronto, Ontario, Canada"),
    ("101940713", "Montreal, Quebec, Canada"),
    ("104738515", "Sydney, New South Wales, Australia"),
    ("102454443", "Singapore"),
    ("103291313", "Tokyo, Japan"),
    ("105214831", "Bengaluru, Karnataka, India"),
    ("100994331", "Stockholm, Sweden"),
    ("103819153", "Copenhagen, Capital Region of Denmark, Denmark"),
    ("105076658", "Lisbon, Portugal"),
    ("101282230", "Germany"),
    ("105015876", "France"),
    ("101165590", "United Kingdom"),
    ("103644279", "United States"),
)

_JOB_TITLES: Final[tuple[_Entry, ...]] = (
    ("9", "Software Engineer"),
    ("25169", "Senior Software Engineer"),
    ("39", "Python Developer"),
    ("30128", "Senior Python Engineer"),
    ("3172", "Backend Developer"),
    ("10738", "Frontend Developer"),
    ("25201", "Full Stack Engineer"),
    ("340", "Data Scientist"),
    ("2732", "Data Engineer"),
    ("30209", "Machine Learning Engineer"),
    ("1586", "DevOps Engineer"),
    ("6483", "Site Reliability Engineer"),
    ("102", "Product Manager"),
    ("4847", "Engineering Manager"),
    ("1", "Project Manager"),
    ("270", "UX Designer"),
    ("2191", "Sales Manager"),
    ("2", "Account Executive"),
    ("59", "Marketing Manager"),
    ("33", "Recruiter"),
    ("1423", "Customer Success Manager"),
    ("37", "Accountant"),
    ("136", "Nurse"),
    ("7", "Teacher"),
)

_COMPANIES: Final[tuple[_Entry, ...]] = (
    ("1441", "Google"),
    ("1035", "Microsoft"),
    ("1586", "Amazon"),
    ("10667", "Meta"),
    ("162479", "Apple"),
    ("1337", "LinkedIn"),
    ("2382910", "Zalando"),
    ("1038", "Deloitte"),
    ("1033", "Accenture"),
    ("1815218", "Spotify"),
    ("3767", "SAP"),
    ("2114", "Siemens"),
    ("9263", "Acme GmbH"),
    ("74126", "Acme Corporation"),
    ("31000", "Postpress"),
    ("8200", "Initech"),
    ("8201", "Globex"),
)

_INDUSTRIES: Final[tuple[_Entry, ...]] = (
    ("4", "Software Development"),
    ("6", "Technology, Information and Internet"),
    ("96", "IT Services and IT Consulting"),
    ("43", "Financial Services"),
    ("41", "Banking"),
    ("14", "Hospitals and Health Care"),
    ("68", "Higher Education"),
    ("27", "Retail"),
    ("53", "Motor Vehicle Manufacturing"),
    ("80", "Advertising Services"),
    ("104", "Staffing and Recruiting"),
    ("137", "Human Resources Services"),
)

_FUNCTIONS: Final[tuple[_Entry, ...]] = (
    ("eng", "Engineering"),
    ("it", "Information Technology"),
    ("prdm", "Product Management"),
    ("mrkt", "Marketing"),
    ("sale", "Sales"),
    ("hr", "Human Resources"),
    ("fin", "Finance"),
    ("acct", "Accounting"),
    ("admn", "Administrative"),
    ("cust", "Customer Service"),
    ("dsgn", "Design"),
    ("rsch", "Research"),
    ("anls", "Analyst"),
    ("cnsl", "Consulting"),
)

_SKILLS: Final[tuple[_Entry, ...]] = (
    ("1268", "Python (Programming Language)"),
    ("178", "Java"),
    ("5000", "JavaScript"),
    ("50517", "TypeScript"),
    ("2366", "SQL"),
    ("1490", "Amazon Web Services (AWS)"),
    ("50001", "Kubernetes"),
    ("50002", "Docker"),
    ("61", "Machine Learning"),
    ("1412", "Project Management"),
    ("2071", "Communication"),
    ("1004", "Leadership"),
    ("5001", "asyncio"),
    ("5002", "Go (Programming Language)"),
    ("5003", "Rust (Programming Language)"),
)

_EMPLOYMENT_TYPES: Final[tuple[_Entry, ...]] = (
    ("FULL_TIME", "Full-time"),
    ("PART_TIME", "Part-time"),
    ("CONTRACT", "Contract"),
    ("TEMPORARY", "Temporary"),
    ("VOLUNTEER", "Volunteer"),
    ("INTERNSHIP", "Internship"),
    ("OTHER", "Other"),
)

_SCHOOLS: Final[tuple[_Entry, ...]] = (
    ("15094", "Technische Universität Berlin"),
    ("12691", "Sorbonne Université"),
    ("12657", "University of Oxford"),
    ("3321", "Massachusetts Institute of Technology"),
    ("166632", "Ludwig-Maximilians-Universität München"),
)

CATALOGUE: Final[Mapping[str, tuple[_Entry, ...]]] = {
    "LOCATION": _LOCATIONS,
    "JOB_TITLE": _JOB_TITLES,
    "COMPANY": _COMPANIES,
    "INDUSTRY": _INDUSTRIES,
    "JOB_FUNCTION": _FUNCTIONS,
    "SKILL": _SKILLS,
    "EMPLOYMENT_TYPE": _EMPLOYMENT_TYPES,
    "SCHOOL": _SCHOOLS,
    "PEOPLE": (),
    "CONNECTIONS": (),
    "SERVICE": (),
}

# The common types plus the provider's Sales Navigator / Recruiter ones the contract names;
# the latter have no entries here and answer an empty list.
SEARCH_TYPES: Final = frozenset(CATALOGUE) | frozenset(
    {
        "GROUPS",
        "SALES_INDUSTRY",
        "DEPARTMENT",
        "PERSONA",
        "ACCOUNT_LISTS",
        "LEAD_LISTS",
        "TECHNOLOGIES",
        "SAVED_ACCOUNTS",
        "SAVED_SEARCHES",
        "RECENT_SEARCHES",
        "REGION",
        "POSTAL_CODE",
        "HIRING_PROJECTS",
    }
)

_LOCATION_TITLES: Final = dict(_LOCATIONS)
_TITLES_BY_TYPE: Final = {kind: dict(entries) for kind, entries in CATALOGUE.items()}


def location_title(location_id: str) -> str:
    """The human label of a location id (made up for ids outside the catalogue)."""
    return _LOCATION_TITLES.get(location_id, f"Location {location_id}")


def title_of(kind: str, entry_id: str) -> str | None:
    """The label of a catalogue id, if the catalogue has it."""
    return _TITLES_BY_TYPE.get(kind, {}).get(entry_id)


def search(kind: str, keywords: str | None, limit: int) -> list[dict[str, Any]]:
    """The ``LinkedinSearchParameter`` items matching ``keywords``, at most ``limit``."""
    words = (keywords or "").casefold().split()
    items: list[dict[str, Any]] = []
    for entry_id, title in CATALOGUE.get(kind, ()):
        folded = title.casefold()
        if all(word in folded for word in words):
            items.append({"object": "LinkedinSearchParameter", "id": entry_id, "title": title})
            if len(items) == limit:
                break
    return items
