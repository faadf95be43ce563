"""Applicants and résumés over raw HTTP: deterministic people, filters, cursors, PDFs."""

from __future__ import annotations

import pytest


async def applicants(raw, job_id, **params):
    params.setdefault("account_id", "acc_1")
    return await raw.get(f"/linkedin/jobs/{job_id}/applicants", **params)


async def walk(raw, job_id, **params):
    items, cursor = [], None
    for _ in range(1000):
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        status, page, _ = await applicants(raw, job_id, **query)
        assert status == 200, page
        items += page["items"]
        cursor = page["cursor"]
        if cursor is None:
            return items
    raise AssertionError("the cursor never ended")


async def test_an_active_job_has_a_handful_of_applicants_by_default(raw):
    job_id = await raw.live_job()
    status, page, _ = await applicants(raw, job_id)
    assert status == 200
    assert page["object"] == "LinkedinJobApplicantList"
    assert page["job_posting_id"] == job_id
    assert 3 <= len(page["items"]) <= 8
    assert page["paging"] == {"page_count": len(page["items"]), "total_count": len(page["items"])}
    assert page["cursor"] is None
    assert (await raw.get_job(job_id))[1]["applicants_counter"] == len(page["items"])


async def test_an_applicant_has_every_field_the_contract_requires(raw):
    job_id = await raw.live_job()
    _, page, _ = await applicants(raw, job_id)
    applicant = page["items"][0]
    required = {
        "object", "id", "profile_id", "public_identifier", "public_profile_url", "name",
        "location", "headline", "applied_at", "rating", "work_experience", "education",
        "screening_questions",
    }  # fmt: skip
    assert required <= set(applicant)
    assert applicant["object"] == "LinkedinJobApplicant"
    assert applicant["rating"] in {"UNRATED", "GOOD_FIT", "MAYBE", "NOT_A_FIT"}
    assert applicant["applied_at"] > 10**12  # milliseconds
    experience = applicant["work_experience"][0]
    assert {"company", "position", "start", "end"} <= set(experience)


async def test_a_draft_has_no_applicants(raw):
    job_id = await raw.new_job()
    _, page, _ = await applicants(raw, job_id)
    assert (page["items"], page["paging"]["total_count"], page["cursor"]) == ([], 0, None)


async def test_a_job_in_review_has_no_applicants_yet(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(review_delay=60))
    job_id = await raw.live_job()
    _, page, _ = await applicants(raw, job_id)
    assert page["items"] == []


async def test_applicants_are_the_same_for_the_same_seed(make_sandbox, raw_for):
    pages = []
    for _ in range(2):
        raw = raw_for(await make_sandbox(review_delay=0, seed=3))
        job_id = await raw.live_job()
        items = (await applicants(raw, job_id))[1]["items"]
        # applied_at follows the (wall-clock) moment the job went live; the rest is seeded.
        pages.append([{k: v for k, v in item.items() if k != "applied_at"} for item in items])
    assert pages[0] == pages[1]


async def test_many_applicants_are_walked_with_a_cursor(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(review_delay=0, applicants=1000))
    job_id = await raw.live_job()
    items = await walk(raw, job_id, limit="250")
    assert len(items) == 1000
    assert len({item["id"] for item in items}) == 1000


async def test_applicants_come_newest_first(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(review_delay=0, applicants=20))
    items = await walk(raw, await raw.live_job(), limit="7")
    times = [item["applied_at"] for item in items]
    assert times == sorted(times, reverse=True)


async def test_the_rating_filter_keeps_only_those_ratings(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(review_delay=0, applicants=200))
    job_id = await raw.live_job()
    everyone = await walk(raw, job_id, limit="250")
    kept = await walk(raw, job_id, limit="9", ratings="GOOD_FIT,MAYBE")
    expected = [a["id"] for a in everyone if a["rating"] in ("GOOD_FIT", "MAYBE")]
    assert [a["id"] for a in kept] == expected
    _, page, _ = await applicants(raw, job_id, ratings="GOOD_FIT,MAYBE", limit="1")
    assert page["paging"]["total_count"] == len(expected)


async def test_the_keywords_filter_matches_names_and_headlines(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(review_delay=0, applicants=100))
    job_id = await raw.live_job()
    everyone = await walk(raw, job_id, limit="250")
    word = everyone[0]["name"].split()[1]
    kept = await walk(raw, job_id, keywords=word.upper())
    assert kept
    assert all(
        word.casefold() in (a["name"] + a["headline"] + a["location"]).casefold() for a in kept
    )


async def test_the_years_filter_keeps_experienced_applicants(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(review_delay=0, applicants=100))
    job_id = await raw.live_job()
    kept = await walk(raw, job_id, min_years_of_experience="8")
    everyone = await walk(raw, job_id)
    assert 0 < len(kept) < len(everyone)


async def test_degree_filters_repeat_their_key(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(review_delay=0, applicants=100))
    job_id = await raw.live_job()
    status, page, _ = await raw.request(
        "GET",
        f"/linkedin/jobs/{job_id}/applicants",
        params=[("account_id", "acc_1"), ("include_degree", "PhD"), ("include_degree", "MBA")],
    )
    assert status == 200
    assert all(a["education"][0]["degree"] in ("PhD", "MBA") for a in page["items"])


async def test_alphabetical_sort_orders_by_name(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(review_delay=0, applicants=30))
    items = await walk(raw, await raw.live_job(), sort_by="alphabetical", limit="7")
    names = [a["name"] for a in items]
    assert names == sorted(names)


@pytest.mark.parametrize(
    ("params", "type_"),
    [
        ({"ratings": "GREAT"}, "errors/invalid_parameters"),
        ({"ratings": "GOOD_FIT,"}, "errors/invalid_parameters"),
        ({"sort_by": "random"}, "errors/invalid_parameters"),
        ({"limit": "0"}, "errors/invalid_parameters"),
        ({"limit": "251"}, "errors/limit_too_high"),
        ({"service": "SALES_NAVIGATOR"}, "errors/invalid_parameters"),
        ({"min_years_of_experience": "many"}, "errors/invalid_parameters"),
        ({"min_years_in_company": "5", "max_years_in_company": "2"}, "errors/invalid_parameters"),
        ({"cursor": "Zm9v"}, "errors/invalid_parameters"),
        ({"page": "2"}, "errors/invalid_parameters"),
    ],
)
async def test_bad_applicant_list_parameters_are_refused(raw, params, type_):
    job_id = await raw.live_job()
    status, error, _ = await applicants(raw, job_id, **params)
    assert (status, error["type"]) == (400, type_)


async def test_a_cursor_is_bound_to_its_filters(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(review_delay=0, applicants=50))
    job_id = await raw.live_job()
    _, page, _ = await applicants(raw, job_id, limit="5")
    status, error, _ = await applicants(
        raw, job_id, limit="5", ratings="MAYBE", cursor=page["cursor"]
    )
    assert (status, error["type"]) == (400, "errors/invalid_parameters")


async def test_get_applicant_answers_the_same_object_as_the_list(raw):
    job_id = await raw.live_job()
    _, page, _ = await applicants(raw, job_id)
    first = page["items"][0]
    status, applicant, _ = await raw.get(
        f"/linkedin/jobs/applicants/{first['id']}", account_id="acc_1"
    )
    assert (status, applicant) == (200, first)


@pytest.mark.parametrize("applicant_id", ["appl_1_999", "appl_999_0", "nobody", "appl_01_0"])
async def test_an_unknown_applicant_is_404(raw, applicant_id):
    await raw.live_job()
    status, error, _ = await raw.get(
        f"/linkedin/jobs/applicants/{applicant_id}", account_id="acc_1"
    )
    assert (status, error["type"]) == (404, "errors/resource_not_found")


async def test_another_account_cannot_read_an_applicant(raw):
    job_id = await raw.live_job("acc_1")
    _, page, _ = await applicants(raw, job_id)
    status, _, _ = await raw.get(
        f"/linkedin/jobs/applicants/{page['items'][0]['id']}", account_id="acc_2"
    )
    assert status == 404


async def test_most_applicants_have_a_pdf_resume(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(review_delay=0, applicants=20))
    job_id = await raw.live_job()
    items = await walk(raw, job_id)
    answers = [
        await raw.get(f"/linkedin/jobs/applicants/{a['id']}/resume", account_id="acc_1")
        for a in items
    ]
    pdfs = [(body, headers) for status, body, headers in answers if status == 200]
    assert len(pdfs) > len(items) // 2
    body, headers = pdfs[0]
    assert body.startswith(b"%PDF-")
    assert body.rstrip().endswith(b"%%EOF")
    assert headers["Content-Type"] == "application/pdf"
    assert "attachment" in headers["Content-Disposition"]
    missing = [(s, b) for s, b, _ in answers if s != 200]
    assert all((s, b["type"]) == (404, "errors/resource_not_found") for s, b in missing)


async def test_the_same_resume_is_served_twice(raw):
    job_id = await raw.live_job()
    _, page, _ = await applicants(raw, job_id)
    for applicant in page["items"]:
        path = f"/linkedin/jobs/applicants/{applicant['id']}/resume"
        first = await raw.get(path, account_id="acc_1")
        if first[0] == 200:
            assert (await raw.get(path, account_id="acc_1", service="CLASSIC"))[1] == first[1]
            return
    pytest.fail("no applicant with a résumé")


async def test_the_resume_size_can_be_set_to_try_a_download_cap(make_sandbox, raw_for):
    raw = raw_for(await make_sandbox(review_delay=0, resume_fraction=1.0, resume_size=200_000))
    job_id = await raw.live_job()
    _, page, _ = await applicants(raw, job_id)
    _, body, _ = await raw.get(
        f"/linkedin/jobs/applicants/{page['items'][0]['id']}/resume", account_id="acc_1"
    )
    assert len(body) == 200_000
    assert body.startswith(b"%PDF-")
