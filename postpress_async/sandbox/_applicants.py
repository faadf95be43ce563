"""Deterministic applicants and their résumés.

Applicants are never stored: applicant ``n`` of a job is a pure function of
``(seed, job key, n)``, built when a page asks for it. So a job can have 100,000 applicants
without using memory, and two sandboxes with the same seed serve the same people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ._catalogue import CATALOGUE
from ._faults import unit

__all__ = ["RATINGS", "SORTS", "ApplicantFilter", "applicant_json", "has_resume", "resume_pdf"]

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


def _traits(seed: int, job_key: str, n: int) -> _Traits:
    def u(purpose: str) -> float:
        return unit(seed, "applicant", job_key, n, purpose)

    name = f"{_pick(_FIRST, u('first'))} {_pick(_LAST, u('last'))}"
    r = u("rating")
    rating = next(RATINGS[i] for i, edge in enumerate(_RATING_WEIGHTS) if r < edge)
    jobs = 1 + int(u("jobs") * 3)
    year = _NOW_YEAR
    experience = []
    for j in range(jobs):
        length = 1 + int(unit(seed, "applicant", job_key, n, f"len{j}") * 5)
        company = _pick(_COMPANIES, unit(seed, "applicant", job_key, n, f"co{j}"))
        title = _pick(_TITLES, unit(seed, "applicant", job_key, n, f"title{j}"))
        experience.append((company[0], company[1], title[1], year - length, year))
        year -= length
    current = experience[0]
    return _Traits(
        name=name,
        rating=rating,
        location=_pick(_LOCATIONS, u("location"))[1],
        headline=f"{current[2]} at {current[1]}",
        degree=_pick(_DEGREES, u("degree")),
        experience=tuple(experience),
        years_of_experience=_NOW_YEAR - year,
        years_in_company=current[4] - current[3],
        years_in_position=current[4] - current[3],
    )


def has_resume(seed: int, job_key: str, n: int, fraction: float) -> bool:
    """Whether applicant ``n`` attached a résumé."""
    return unit(seed, "applicant", job_key, n, "resume") < fraction


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
    phone = f"+49 30 {int(unit(seed, 'applicant', job_key, n, 'phone') * 10**7):07d}"
    school = _pick(_SCHOOLS, unit(seed, "applicant", job_key, n, "school"))
    answers = []
    for i, question in enumerate(questions):
        ok = unit(seed, "applicant", job_key, n, f"q{i}") < 0.7
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
        "profile_id": f"ACoAA{int(unit(seed, 'applicant', job_key, n, 'profile') * 10**10):010d}",
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
