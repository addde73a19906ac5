"""Permission table of the compilation pages (#11), read by tests/test_roles.py.

URLs point at county 13 (A's county) in round 2020-09. The county's own coordinator and
administrators write; the national coordinator reads the county's pages and sends back; the
national pages are for the national coordinator and administrators.
"""

from __future__ import annotations

from tests.accounts_fixtures import LOGIN, expect

HALLAND = {"county_code": "13"}
READ = expect(coord13=200, coord10=403, national=200, admin=200, municipalities=LOGIN,
              nobody=LOGIN)
WRITE = expect(coord13=302, coord10=403, national=403, admin=302, municipalities=LOGIN,
               nobody=LOGIN)
# a passage or source that does not exist: refused before it is looked up, else 404
WRITE_UNKNOWN = expect(coord13=404, coord10=403, national=403, admin=404,
                       municipalities=LOGIN, nobody=LOGIN)
NATIONAL_READ = expect(coord13=403, coord10=403, national=200, admin=200,
                       municipalities=LOGIN, nobody=LOGIN)
NATIONAL_WRITE = expect(coord13=403, coord10=403, national=302, admin=302,
                        municipalities=LOGIN, nobody=LOGIN)

ROUTES = {
    ("compile.index", "GET"): (
        expect(coordinators=200, municipalities=LOGIN, nobody=LOGIN), {}, {}, {}),
    ("compile.county", "GET"): (READ, HALLAND, {}, {}),
    ("compile.save_county", "POST"): (WRITE, HALLAND, {}, {
        "area": "", "text": "Flera kommuner beskriver en ökning.", "revision": "0"}),
    ("compile.quotes", "GET"): (READ, HALLAND, {}, {}),
    ("compile.choose", "POST"): (WRITE_UNKNOWN, HALLAND, {}, {
        "key": "q999999-good_examples-n-n", "choice": "exclude", "reason": "Enskilt fall"}),
    ("compile.sources", "GET"): (READ, HALLAND, {}, {}),
    ("compile.sources", "POST"): (WRITE, HALLAND, {}, {
        "date": "2020-09-10", "kind": "network_meeting", "actor": "Socialchefsnätverket",
        "summary": "Fler orosanmälningar."}),
    ("compile.remove_source", "POST"): (WRITE_UNKNOWN, {**HALLAND, "source_id": 999999},
                                        {}, {}),
    ("compile.deliver", "GET"): (
        expect(coord13=200, coord10=403, national=403, admin=200, municipalities=LOGIN,
               nobody=LOGIN), HALLAND, {}, {}),
    ("compile.deliver", "POST"): (WRITE, HALLAND, {}, {}),
    # nothing is delivered in the test world, so there is nothing to send back
    ("compile.send_back", "POST"): (
        expect(coord13=403, coord10=403, national=409, admin=409, municipalities=LOGIN,
               nobody=LOGIN), HALLAND, {}, {"reason": "Saknar källor"}),
    ("compile.national", "GET"): (NATIONAL_READ, {}, {}, {}),
    ("compile.national_area", "GET"): (NATIONAL_READ, {"area": "violence"}, {}, {}),
    ("compile.save_national", "POST"): (NATIONAL_WRITE, {}, {}, {
        "area": "violence", "text": "Flera län beskriver en ökning.", "revision": "0"}),
    ("compile.settings", "GET"): (NATIONAL_READ, {}, {}, {}),
    ("compile.settings", "POST"): (NATIONAL_WRITE, {}, {}, {
        "reference_number": "S2020/05273/SOF",
        "addressee": "Regeringskansliet (Socialdepartementet)", "partners": "Socialstyrelsen",
        "county_deadline": "2020-10-15", "report_due": "2020-10-30"}),
}
