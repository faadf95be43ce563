"""Deterministic applicants and their résumés.

Applicants are never stored: applicant ``n`` of a job is a pure function of
``(seed, job key, n)``, built when a page asks for it. So a job can have 100,000 applicants
without using memory, and two sandboxes with the same seed serve the same people.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from ._catalogue import CATALOGUE

__all__ = [
    "RATINGS",
    "SORTS",
    "ApplicantFilter",
    "applicant_json",
    "applicant_name",
    "has_resume",
    "resume_pdf",
]

RATINGS: Final = ("UNRATED", "GOOD_FIT", "MAYBE", "NOT_A_FIT")
SORTS: Final = frozenset({"relevance", "alphabetical", "newest_first", "screening_requirements"})
_RATING_WEIGHTS: Final = (0.5, 0.7, 0.9, 1.0)  # cumulative: half unrated, as in real life
_FIRST: Final = (
    "Anna", "Ben", "Chloé", "David", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas",
    "Kemal", "Lena", "Mateo", "Nora", "Olu", "Priya", "Quentin", "Rosa", "Sven", "Tomasz",
)  # fmt: skip
_LAST: Final = (
    "Müller", "Schmidt", "Dubois", "Smith", "Rossi", "García", "Kowalski", "Novak", "Yilmaz",
    "Okafor", "Tanaka", "Larsen", "Silva", "Nguyen", "Cohen", "Brown",
)  # fmt: skip
_DEGREES: Final = ("Bachelor of Science", "Master of Science", "PhD", "Bachelor of Arts", "MBA")
_SCHOOLS: Final = CATALOGUE["SCHOOL"]
_COMPANIES: Final = CATALOGUE["COMPANY"]
_TITLES: Final = CATALOGUE["JOB_TITLE"]
_LOCATIONS: Final = CATALOGUE["LOCATION"][:14]
_NOW_YEAR: Final = 2026


# Where each decision reads in an applicant's draws (see _draws).
_FIRST_NAME, _LAST_NAME, _RATING, _JOBS, _LOCATION, _DEGREE, _SCHOOL = range(7)
_PHONE_HI, _PHONE_LO, _PROFILE_HI, _PROFILE_LO, _RESUME = range(7, 12)
_LENGTH, _COMPANY, _TITLE = 12, 15, 18  # three draws each, one per past job
_QUESTION = 21  # one draw per screening question (11 fit; more reuse them in turn)
_DRAWS = 32
_UNPACK: Final = struct.Struct(f">{_DRAWS}H").unpack
_SCALE: Final = 1 / 65536


@lru_cache(maxsize=8192)
def _draws(seed: int, job_key: str, n: int) -> tuple[float, ...]:
    # One hash per applicant, cut into 32 numbers in [0, 1): hashing once per decision
    # made a 250-applicant page cost ~80 ms; this makes it a few.
    digest = hashlib.blake2b(f"{seed}\x00applicant\x00{job_key}\x00{n}".encode(), digest_size=64)
    return tuple(v * _SCALE for v in _UNPACK(digest.digest()))


def _pick(seq: Sequence[Any], u: float) -> Any:
    return seq[int(u * len(seq))]


@dataclass(frozen=True)
class _Traits:
    name: str
    rating: str
    location: str
    headline: str
    degree: str
    experience: tuple[tuple[str, str, str, int, int], ...]  # id, company, title, start, end
    years_of_experience: int
    years_in_company: int
    years_in_position: int


@lru_cache(maxsize=8192)
def _traits(seed: int, job_key: str, n: int) -> _Traits:
    d = _draws(seed, job_key, n)
    name = f"{_pick(_FIRST, d[_FIRST_NAME])} {_pick(_LAST, d[_LAST_NAME])}"
    r = d[_RATING]
    rating = next(RATINGS[i] for i, edge in enumerate(_RATING_WEIGHTS) if r < edge)
    jobs = 1 + int(d[_JOBS] * 3)
    year = _NOW_YEAR
    experience = []
    for j in range(jobs):
        length = 1 + int(d[_LENGTH + j] * 5)
        company = _pick(_COMPANIES, d[_COMPANY + j])
        title = _pick(_TITLES, d[_TITLE + j])
        experience.append((company[0], company[1], title[1], year - length, year))
        year -= length
    current = experience[0]
    return _Traits(
        name=name,
        rating=rating,
        location=_pick(_LOCATIONS, d[_LOCATION])[1],
        headline=f"{current[2]} at {current[1]}",
        degree=_pick(_DEGREES, d[_DEGREE]),
        experience=tuple(experience),
        years_of_experience=_NOW_YEAR - year,
        years_in_company=current[4] - current[3],
        years_in_position=current[4] - current[3],
    )


def applicant_name(seed: int, job_key: str, n: int) -> str:
    """Applicant ``n``'s name (for sorting without building the whole object)."""
    return _traits(seed, job_key, n).name


def has_resume(seed: int, job_key: str, n: int, fraction: float) -> bool:
    """Whether applicant ``n`` attached a résumé."""
    return _draws(seed, job_key, n)[_RESUME] < fraction


@dataclass(frozen=True)
class ApplicantFilter:
    """The list's filters; ``matches`` is only called when at least one is set."""

    ratings: frozenset[str] | None = None
    keywords: tuple[str, ...] = ()
    years: Mapping[str, tuple[float | None, float | None]] | None = None
    include_degree: tuple[str, ...] = ()
    exclude_degree: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """No filter set: every applicant matches."""
        return not (
            self.ratings is not None
            or self.keywords
            or any(b != (None, None) for b in (self.years or {}).values())
            or self.include_degree
            or self.exclude_degree
        )

    def key(self) -> str:
        """A canonical text of the filters (cursors are bound to it)."""
        return repr(
            (
                sorted(self.ratings) if self.ratings is not None else None,
                self.keywords,
                sorted((self.years or {}).items()),
                self.include_degree,
                self.exclude_degree,
            )
        )

    def matches(self, seed: int, job_key: str, n: int) -> bool:
        """Whether applicant ``n`` passes every filter."""
        t = _traits(seed, job_key, n)
        if self.ratings is not None and t.rating not in self.ratings:
            return False
        text = f"{t.name} {t.headline} {t.location}".casefold()
        if any(word not in text for word in self.keywords):
            return False
        values = {
            "experience": t.years_of_experience,
            "company": t.years_in_company,
            "position": t.years_in_position,
        }
        for name, (low, high) in (self.years or {}).items():
            if (low is not None and values[name] < low) or (
                high is not None and values[name] > high
            ):
                return False
        degree = t.degree.casefold()
        if self.include_degree and not any(d.casefold() in degree for d in self.include_degree):
            return False
        return not any(d.casefold() in degree for d in self.exclude_degree)


def applicant_json(
    seed: int,
    job_key: str,
    n: int,
    applicant_id: str,
    applied_base_ms: int,
    questions: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """The ``LinkedinJobApplicant`` object of applicant ``n``."""
    t = _traits(seed, job_key, n)
    slug = t.name.casefold().replace(" ", "-").encode("ascii", "ignore").decode() + f"-{n}"
    email = f"{slug}@example.com"
    d = _draws(seed, job_key, n)
    phone = f"+49 30 {int((d[_PHONE_HI] + d[_PHONE_LO] / 65536) * 10**7):07d}"
    profile = int((d[_PROFILE_HI] + d[_PROFILE_LO] / 65536) * 10**10)
    school = _pick(_SCHOOLS, d[_SCHOOL])
    answers = []
    for i, question in enumerate(questions):
        ok = d[_QUESTION + i % (_DRAWS - _QUESTION)] < 0.7
        if question.get("answer_type") == "multiple_choices":
            choices = list(question.get("choices") or ["yes"])
            expected = list(question.get("expected_choices") or choices[:1])
            answer = expected[:1] if ok and expected else choices[-1:]
        else:
            low = question.get("min_expectation", 0)
            answer = [str(low if ok else max(0, low - 1))]
        answers.append({"question": question.get("question", ""), "answers": answer, "success": ok})
    return {
        "object": "LinkedinJobApplicant",
        "id": applicant_id,
        "profile_id": f"ACoAA{profile:010d}",
        "public_identifier": slug,
        "public_profile_url": f"https://www.linkedin.com/in/{slug}",
        "name": t.name,
        "location": t.location,
        "headline": t.headline,
        "applied_at": applied_base_ms - n * 37_000,
        "rating": t.rating,
        "email_address": email,
        "phone_number": phone,
        "contact_info": {"email_addresses": [email], "phone_numbers": [phone]},
        "work_experience": [
            {
                "company": company,
                "company_id": company_id,
                "position": title,
                "location": t.location,
                "start": {"year": start, "month": 1 + n % 12},
                "end": None if i == 0 else {"year": end, "month": 1 + n % 12},
            }
            for i, (company_id, company, title, start, end) in enumerate(t.experience)
        ],
        "education": [
            {
                "school": school[1],
                "school_id": school[0],
                "degree": t.degree,
                "start": {"year": _NOW_YEAR - t.years_of_experience - 4, "month": 10},
                "end": {"year": _NOW_YEAR - t.years_of_experience, "month": 7},
            }
        ],
        "screening_questions": answers,
    }


def _pdf_escape(text: str) -> str:
    ascii_text = text.encode("ascii", "replace").decode()
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def resume_pdf(lines: Sequence[str], size: int | None = None) -> bytes:
    """A small valid one-page PDF showing ``lines``; padded with a comment to ``size`` bytes
    when given (to try a client's download cap)."""
    text = (
        "BT /F1 14 Tf 72 740 Td 18 TL "
        + " ".join(f"({_pdf_escape(line)}) '" for line in lines)
        + " ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode()),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    if size is not None and size > len(out):
        # A comment after %%EOF: readers ignore it; the file keeps its structure.
        filler = size - len(out)
        out += b"%" + b"x" * (filler - 2) + b"\n" if filler >= 2 else b"\n"
    return bytes(out)
