"""Permission table of the background report jobs (#12), read by tests/test_roles.py.

Starting a job follows the report's own rule (county 13's report: its coordinator and those
who see all; the national report: only those). The job pages here point at a job that does
not exist (404 for a coordinator, the login page for anyone else); tests/test_jobs.py walks
the roles over real jobs and their files.
"""

from __future__ import annotations

from tests.accounts_fixtures import LOGIN, expect

COUNTY_START = expect(coord13=303, coord10=403, national=303, admin=303,
                      municipalities=LOGIN, nobody=LOGIN)
NATIONAL_START = expect(coord13=403, coord10=403, national=303, admin=303,
                        municipalities=LOGIN, nobody=LOGIN)
NO_SUCH_JOB = expect(coordinators=404, municipalities=LOGIN, nobody=LOGIN)
MISSING = {"job_id": "0" * 32}

ROUTES = {
    ("reports.start_county", "POST"): (COUNTY_START, {"county_code": "13", "fmt": "docx"},
                                       {}, {}),
    ("reports.start_national", "POST"): (NATIONAL_START, {"fmt": "docx"}, {}, {}),
    ("reports.job", "GET"): (NO_SUCH_JOB, MISSING, {}, {}),
    ("reports.job_file", "GET"): (NO_SUCH_JOB, MISSING, {}, {}),
    ("reports.job_again", "POST"): (NO_SUCH_JOB, MISSING, {}, {}),
}
