"""Run mode (issue #25) in headless Chromium, on Playwright's clock: countdowns, steps moving on,
pause, extra minutes, reload, breaks, the facilitator view, the session clock, printing, axe."""

from __future__ import annotations

import contextlib
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.site import build_site
from generator.validate import load_content
from tests.conftest import SOURCES_YML, WORKBOOK_YML
from tests.site.conftest import serve

pytestmark = pytest.mark.browser

NOTES = "Watch the quiet ones and name the silence before the pairs begin."
NOTES_FR = "Surveillez les plus silencieux et nommez le silence avant le travail à deux."
SET_NOTE = "Lay out one card per person during the break."
START = "2030-05-06T09:00:00"
INSTALLED = "2030-05-06T08:59:50Z"
# Records what the page asks of the Screen Wake Lock and WebAudio APIs.
STUBS = """
window.__wb = {locks: 0, released: 0, tones: 0};
Object.defineProperty(Navigator.prototype, "wakeLock", {configurable: true, get() {
  return {request: async () => {
    window.__wb.locks += 1;
    return {release: async () => { window.__wb.released += 1; }, addEventListener() {}};
  }};
}});
window.AudioContext = class {
  constructor() { this.currentTime = 0; this.destination = {}; }
  createOscillator() {
    window.__wb.tones += 1;
    return {type: "", frequency: {value: 0}, connect: (node) => node, start() {}, stop() {}};
  }
  createGain() {
    const gain = {setValueAtTime() {}, exponentialRampToValueAtTime() {}};
    return {gain, connect: (node) => node};
  }
};
"""


def _exercise(
    exercise_id: str,
    title: str,
    steps: list[tuple[int, str]],
    fmt: str = "group",
    moment: str = "core",
) -> str:
    lines = "".join(
        f'    - minutes: {minutes}\n      text: {{fr: "{text} (fr)", en: "{text}"}}\n'
        for minutes, text in steps
    )
    body = f"""\
- id: {exercise_id}
  title: {{fr: "{title} (fr)", en: "{title}"}}
  summary: {{fr: Résumé., en: Summary.}}
  purpose: {{fr: But., en: Purpose.}}
  minutes: {sum(minutes for minutes, _ in steps)}
  format: {fmt}
  level: practice
  components: [bond]
  moment: {moment}
  steps:
{lines}  prompts:
    - text: {{fr: Qu’avez-vous remarqué ?, en: What did you notice?}}
  debrief: {{fr: "Chacun dit un mot pour finir.", en: "Each person says one word to close."}}
  facilitator_notes: {{fr: "{NOTES_FR}", en: "{NOTES}"}}
  safety: {{fr: "Vous pouvez vous arrêter à tout moment.", en: "You may stop at any moment."}}
  adaptations: {{fr: En ligne., en: Online.}}
  sources: [bordin-1979]
"""
    return textwrap.indent(body, "  ")


def write_run_content(root: Path) -> Path:
    """A bank with a 20-minute exercise in two steps and a check-in; a set with a break."""
    (root / "banks").mkdir(parents=True)
    (root / "sets").mkdir()
    (root / "workbook.yml").write_text(WORKBOOK_YML, encoding="utf-8")
    (root / "sources.yml").write_text(SOURCES_YML, encoding="utf-8")
    bank = (
        "id: alpha\ntitle: {fr: Banque, en: Bank}\nintro: {fr: Intro., en: Intro.}\nexercises:\n"
        + _exercise(
            "mirror",
            "The mirror",
            [
                (5, "Sit in pairs and face each other"),
                (15, "Describe what you saw, then swap roles"),
            ],
        )
        + _exercise(
            "hello",
            "Hello round",
            [(5, "Each person says their name and one hope")],
            moment="check-in",
        )
    )
    (root / "banks" / "alpha.yml").write_text(bank, encoding="utf-8")
    (root / "sets" / "workshop.yml").write_text(
        textwrap.dedent(f"""\
        id: workshop
        title: {{fr: Atelier, en: Workshop}}
        audience: {{fr: Des praticiens., en: Practitioners.}}
        minutes: 45
        exercises:
          - id: hello
            note: {{fr: "Posez les règles.", en: "Set the rules."}}
          - break: 10
            note: {{fr: "Posez une carte par personne.", en: "{SET_NOTE}"}}
          - id: mirror
        """),
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def run_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("run")
    content = write_run_content(root / "content")
    build_site(load_content(content), root / "site", with_pdfs=False)
    with serve(root / "site") as url:
        yield url


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    """A projector-sized page (1280×720, UTC) on a paused clock at 09:00: only the test moves
    time, with run_for and fast_forward. Console errors and requested URLs are recorded."""
    with _tab(browser, 1280, 720) as page:
        yield page


@contextlib.contextmanager
def _tab(browser: Any, width: int, height: int, **options: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": width, "height": height}, timezone_id="UTC", **options
    )
    page = context.new_page()
    page.console_errors = []
    page.requests = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.on("request", lambda request: page.requests.append(request.url))
    page.clock.install(time=INSTALLED)
    page.clock.pause_at(START + "Z")  # a little later than installed: never in the past
    try:
        yield page
    finally:
        context.close()


def _open(page: Any, url: str) -> None:
    page.goto(url)
    page.locator(".wb-run__timer").wait_for()


def _timer(page: Any) -> str:
    return str(page.locator(".wb-run__timer").inner_text())


def _phase(page: Any) -> tuple[str, str]:
    return (
        page.locator(".wb-run__exercise").inner_text(),
        page.locator(".wb-run__phase").inner_text(),
    )


def _minutes(count: float) -> int:
    return int(count * 60_000)


def test_starting_a_20_minute_exercise_shows_its_first_step_countdown(
    tab: Any, run_site: str
) -> None:
    tab.add_init_script(STUBS)
    _open(tab, run_site + "en/run/?exercise=mirror")
    assert _phase(tab) == ("The mirror", "Step 1 of 2")
    assert _timer(tab) == "5:00"
    assert "Sit in pairs and face each other" in tab.locator(".wb-run__text").inner_text()
    # the right to pass and the safety note as the exercise starts
    safety = tab.locator(".wb-run__safety")
    assert safety.is_visible()
    assert "Everyone may pass, at any moment" in safety.inner_text()
    assert "You may stop at any moment." in safety.inner_text()
    assert tab.locator(".wb-run__next").inner_text() == "Next: Step 2 of 2 — 15 min"
    assert tab.evaluate("document.documentElement.scrollWidth") <= 1280  # projector: no sideways
    tab.get_by_role("button", name="Start").click()
    tab.clock.run_for(1000)
    assert _timer(tab) == "4:59"
    assert tab.get_by_role("button", name="Pause").is_visible()
    # the screen stays awake while the session runs
    assert tab.evaluate("window.__wb") == {"locks": 1, "released": 0, "tones": 0}
    tab.keyboard.press("Space")
    assert tab.evaluate("window.__wb.released") == 1
    # F: full screen, for the room's screen
    tab.keyboard.press("f")
    tab.wait_for_function("document.fullscreenElement !== null")
    assert tab.evaluate("document.fullscreenElement.matches('.wb-run')")
    assert tab.get_by_role("button", name="Full screen").get_attribute("aria-pressed") == "true"
    assert tab.console_errors == []


def test_a_step_ends_and_the_next_begins_with_the_cue(tab: Any, run_site: str) -> None:
    tab.emulate_media(reduced_motion="reduce")
    tab.add_init_script(STUBS)
    _open(tab, run_site + "en/run/?exercise=mirror")
    sound = tab.get_by_role("button", name="End-of-step sound")
    assert sound.get_attribute("aria-pressed") == "false"  # off by default
    sound.click()
    assert sound.get_attribute("aria-pressed") == "true"
    tab.keyboard.press("Space")
    tab.clock.run_for(_minutes(5) - 1000)
    assert _phase(tab) == ("The mirror", "Step 1 of 2") and _timer(tab) == "0:01"
    assert tab.locator(".wb-run--cue").count() == 0
    tab.clock.run_for(1000)
    assert _phase(tab) == ("The mirror", "Step 2 of 2")
    assert _timer(tab) == "15:00"
    assert "Describe what you saw" in tab.locator(".wb-run__text").inner_text()
    assert tab.locator(".wb-run__safety").is_hidden()  # shown as the exercise starts only
    assert tab.locator(".wb-run__stage.wb-run--cue").count() == 1
    assert tab.locator(".wb-run__status").inner_text() == "Time is up: on to the next step."
    assert tab.evaluate("window.__wb.tones") == 1  # one soft tone
    side = tab.locator(".wb-run__side")
    assert side.evaluate("node => getComputedStyle(node).borderTopWidth") == "4px"
    # no flashing: with reduced motion nothing animates, not even the colour change
    assert side.evaluate("node => getComputedStyle(node).transitionDuration") == "0s"
    assert tab.evaluate("document.getAnimations().length") == 0
    # a jump over the whole step lands on the debrief: a phase of its own, counting up
    tab.clock.fast_forward(_minutes(15))
    assert _phase(tab) == ("The mirror", "Debrief")
    assert "Each person says one word to close." in tab.locator(".wb-run__text").inner_text()
    assert _timer(tab) == "0:00"
    tab.clock.run_for(_minutes(2))
    assert _phase(tab) == ("The mirror", "Debrief") and _timer(tab) == "2:00"  # it waits
    assert tab.locator(".wb-run__timer").get_attribute("aria-label") == (
        "Open time: move on when the group is ready."
    )
    tab.clock.run_for(_minutes(15) + 1000)
    assert tab.locator(".wb-run--cue").count() == 0  # the cue fades after a while
    assert tab.console_errors == []


def test_pausing_stops_the_countdown(tab: Any, run_site: str) -> None:
    _open(tab, run_site + "en/run/?exercise=mirror")
    tab.keyboard.press("Space")
    tab.clock.run_for(10_000)
    assert _timer(tab) == "4:50"
    tab.keyboard.press("Space")
    tab.clock.run_for(_minutes(10))
    assert _timer(tab) == "4:50"
    assert _phase(tab) == ("The mirror", "Step 1 of 2")
    resume = tab.get_by_role("button", name="Resume")
    assert resume.get_attribute("aria-keyshortcuts") == "Space"
    resume.click()
    tab.clock.run_for(1000)
    assert _timer(tab) == "4:49"


def test_plus_adds_a_minute_and_minus_takes_one_off(tab: Any, run_site: str) -> None:
    _open(tab, run_site + "en/run/?exercise=mirror")
    tab.keyboard.press("+")
    assert _timer(tab) == "6:00"
    minus = tab.get_by_role("button", name="−1 min: take a minute off this step")
    minus.click()
    minus.click()
    assert _timer(tab) == "4:00"
    tab.keyboard.press("Space")
    tab.clock.run_for(30_000)
    tab.get_by_role("button", name="+1 min: add a minute to this step").click()
    assert _timer(tab) == "4:30"
    tab.keyboard.press("ArrowRight")
    assert _phase(tab) == ("The mirror", "Step 2 of 2") and _timer(tab) == "15:00"
    tab.keyboard.press("ArrowLeft")
    assert _phase(tab) == ("The mirror", "Step 1 of 2") and _timer(tab) == "5:00"
    for name, keys in [
        ("Previous step", "ArrowLeft"),
        ("Next step", "ArrowRight"),
        ("Full screen", "F"),
        ("+1 min: add a minute to this step", "Plus"),
    ]:
        assert tab.get_by_role("button", name=name).get_attribute("aria-keyshortcuts") == keys
    assert tab.get_by_role("link", name="Leave").get_attribute("aria-keyshortcuts") == "Escape"


def test_reload_resumes_at_the_same_step_and_time(tab: Any, run_site: str) -> None:
    _open(tab, run_site + "en/run/?exercise=mirror")
    tab.keyboard.press("Space")
    tab.clock.run_for(_minutes(5) + 30_000)
    assert _phase(tab) == ("The mirror", "Step 2 of 2") and _timer(tab) == "14:30"
    assert "#phase=1&left=870" in tab.url
    tab.reload()
    tab.locator(".wb-run__timer").wait_for()
    assert _phase(tab) == ("The mirror", "Step 2 of 2") and _timer(tab) == "14:30"
    tab.clock.run_for(1000)
    assert _timer(tab) == "14:29"  # still running
    tab.keyboard.press("Space")
    tab.reload()
    tab.locator(".wb-run__timer").wait_for()
    assert _timer(tab) == "14:29"
    assert tab.locator(".wb-run__status").inner_text() == (
        "Picked up where you left off: press Start to go on."
    )
    assert tab.get_by_role("button", name="Resume").is_visible()
    # another browser, with only the link: the hash alone keeps the place
    url = tab.url
    other = tab.context.browser.new_context(timezone_id="UTC")
    fresh = other.new_page()
    _open(fresh, url)
    assert _phase(fresh) == ("The mirror", "Step 2 of 2") and _timer(fresh) == "14:29"
    other.close()
    stored = tab.evaluate("Object.keys(localStorage).filter(key => key.startsWith('wb-run'))")
    assert stored == ["wb-run:exercise:mirror"]


def test_a_set_break_is_a_step_of_its_own(tab: Any, run_site: str) -> None:
    _open(tab, run_site + "en/run/?set=workshop")
    assert tab.locator(".wb-run__part").inner_text() == "Part 1 of 3"
    assert _phase(tab) == ("Hello round", "Step 1 of 1")
    tab.keyboard.press("Space")
    tab.clock.fast_forward(_minutes(5))
    assert _phase(tab) == ("Hello round", "Debrief")
    assert tab.locator(".wb-run__next").inner_text() == "Next: Break — 10 min"
    tab.get_by_role("button", name="Next step").click()
    assert _phase(tab) == ("Break", "10 min")
    assert tab.locator(".wb-run__part").inner_text() == "Part 2 of 3"
    assert _timer(tab) == "10:00"
    # at the end of the break, the next exercise waits for the group to come back
    tab.clock.run_for(_minutes(10))
    assert _phase(tab) == ("The mirror", "Step 1 of 2") and _timer(tab) == "5:00"
    assert tab.locator(".wb-run__status").inner_text() == (
        "The break is over: press Start when everyone is back."
    )
    tab.clock.run_for(_minutes(1))
    assert _timer(tab) == "5:00"
    assert tab.get_by_role("button", name="Resume").is_visible()
    assert tab.console_errors == []


def _every_phase_text(page: Any) -> str:
    """The DOM text (hidden parts included) and markup of every phase, stepping through."""
    seen = []
    for _ in range(20):
        seen.append(page.evaluate("document.documentElement.outerHTML"))
        seen.append(page.evaluate("document.body.textContent"))
        if page.locator(".wb-run__next-step").is_disabled():
            break
        page.keyboard.press("ArrowRight")
    return "\n".join(seen)


def test_the_projected_view_holds_no_facilitator_note(tab: Any, run_site: str) -> None:
    for lang, notes, note in (("en/", NOTES, SET_NOTE), ("", NOTES_FR, "Posez une carte")):
        _open(tab, run_site + lang + "run/?set=workshop")
        text = _every_phase_text(tab)
        assert "Each person says one word" in text or "Chacun dit un mot" in text
        assert notes not in text and note not in text
        assert tab.locator(".wb-run__facilitator").count() == 1
        assert tab.locator(".wb-run__facilitator").inner_html() == ""
    # the leader's view shows them, and leaving it takes them out of the page again
    _open(tab, run_site + "en/run/?set=workshop&view=facilitator")
    tab.get_by_role("button", name="Start over").click()
    tab.keyboard.press("ArrowRight")
    tab.keyboard.press("ArrowRight")
    panel = tab.locator(".wb-run__facilitator")
    assert SET_NOTE in panel.inner_text()
    assert "Next: The mirror — 20 min" in panel.inner_text()
    assert "Sit in pairs and face each other" in panel.inner_text()  # what comes next
    tab.keyboard.press("ArrowRight")
    assert NOTES in panel.inner_text()
    view = tab.get_by_role("button", name="Facilitator view")
    assert view.get_attribute("aria-pressed") == "true"
    view.click()
    assert "view=" not in tab.url
    assert NOTES not in tab.evaluate("document.documentElement.outerHTML")
    view.click()
    assert "view=facilitator" in tab.url and NOTES in panel.inner_text()
    second = tab.get_by_role("link", name="Open the facilitator view in a new window")
    assert "view=facilitator" in (second.get_attribute("href") or "")


def test_a_second_window_follows_the_first(tab: Any, run_site: str) -> None:
    _open(tab, run_site + "en/run/?set=workshop")
    leader = tab.context.new_page()
    _open(leader, run_site + "en/run/?set=workshop&view=facilitator")
    tab.keyboard.press("ArrowRight")
    tab.keyboard.press("ArrowRight")
    leader.locator(".wb-run__exercise", has_text="Break").wait_for()
    assert leader.locator(".wb-run__row--current").inner_text().startswith("09:05\tBreak")


def test_the_session_clock_runs_against_the_planned_minutes(tab: Any, run_site: str) -> None:
    _open(tab, run_site + "en/run/?set=workshop")
    clock = tab.locator(".wb-run__clock")
    assert clock.get_attribute("data-planned") == "45"  # the set's planned minutes
    # 35 minutes of exercises and break in a 45-minute slot
    assert clock.inner_text() == ("Session 0:00 of 45 min · planned end 09:45 · 10 min to spare")
    tab.keyboard.press("Space")
    tab.clock.run_for(_minutes(7))
    assert clock.inner_text() == ("Session 7:00 of 45 min · planned end 09:45 · 8 min to spare")
    _open(tab, run_site + "run/?ids=hello,break:10,mirror&title=Notre%20séance")
    assert tab.locator("h1.wb-run__title").inner_text() == "Notre séance"
    assert tab.locator(".wb-run__clock").get_attribute("data-planned") == "35"
    assert tab.locator(".wb-run__clock").inner_text().startswith("Séance 0:00 sur 35 min")
    tab.keyboard.press("ArrowRight")
    tab.keyboard.press("ArrowRight")
    assert _phase(tab) == ("Pause", "10 min")
    leave = tab.get_by_role("link", name="Quitter")
    assert (leave.get_attribute("href") or "").endswith(
        "/composer/?ids=hello%2Cmirror&title=Notre+s%C3%A9ance"
    )


def test_the_timing_card_prints_the_plan_with_clock_times(tab: Any, run_site: str) -> None:
    _open(tab, run_site + "en/run/?set=workshop&view=facilitator")
    tab.get_by_label("Start at").fill("14:00")
    tab.emulate_media(media="print")
    card = tab.locator(".wb-run__card")
    assert card.is_visible() and tab.locator(".wb-run__stage").is_hidden()
    assert tab.locator(".md-header").is_hidden()
    assert card.locator("p").inner_text() == "14:00 – 14:45 · 45 min planned"
    rows = [re.sub(r"\s+", " ", row) for row in card.locator("tbody tr").all_inner_texts()]
    assert rows == [
        "14:00 Hello round 14:00 Step 1 of 1 · 14:05 Debrief 5",
        "14:05 Break 10",
        "14:15 The mirror 14:15 Step 1 of 2 · 14:20 Step 2 of 2 · 14:35 Debrief 20",
    ]
    pdf = tab.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # one page


def test_every_way_in_leads_to_the_run(tab: Any, run_site: str) -> None:
    tab.goto(run_site + "en/sets/workshop/")
    tab.get_by_role("link", name="Run this session").click()
    tab.locator(".wb-run__timer").wait_for()
    assert tab.url.split("#")[0].endswith("/en/run/?set=workshop")
    tab.goto(run_site + "exercises/mirror/")
    tab.get_by_role("link", name="Animer cet exercice").click()
    tab.locator(".wb-run__timer").wait_for()
    assert _phase(tab) == ("The mirror (fr)", "Étape 1 sur 2")
    tab.keyboard.press("Escape")  # leave: back to the exercise
    tab.wait_for_url("**/exercises/mirror/")
    tab.goto(run_site + "en/composer/?ids=hello,mirror&title=Ours")
    run = tab.get_by_role("link", name="Run this session")
    run.wait_for()
    assert (run.get_attribute("href") or "").endswith("run/?ids=hello%2Cmirror&title=Ours")
    run.click()
    tab.locator(".wb-run__timer").wait_for()
    assert tab.locator("h1.wb-run__title").inner_text() == "Ours"
    # without a target: the sets to run; with an unknown one: a message, no error
    tab.goto(run_site + "en/run/")
    choice = tab.locator(".wb-run__choices").get_by_role("link", name="Workshop")
    assert choice.get_attribute("href") == "?set=workshop"
    tab.goto(run_site + "en/run/?exercise=nowhere")
    tab.locator(".wb-run__message", has_text="names no exercise").wait_for()
    host = run_site.split("/")[2]
    assert {url.split("/")[2] for url in tab.requests} == {host}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["en/run/?exercise=mirror", "run/?set=workshop&view=facilitator"])
def test_axe_reports_no_violation(browser: Any, run_site: str, scheme: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    with _tab(browser, 1280, 720, color_scheme=scheme) as page:
        _open(page, run_site + path)
        page.keyboard.press("Space")
        page.clock.fast_forward(_minutes(5))  # with the cue showing
        page.locator(".wb-run--cue").wait_for()
        page.evaluate("document.getAnimations().forEach(animation => animation.finish())")
        page.clock.resume()  # axe-core waits on timers of its own
        results = Axe().run(
            page,
            options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                "resultTypes": ["violations"],
            },
        )
        assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize(
    "path", ["run/?set=workshop&view=facilitator", "en/run/?exercise=mirror", "en/run/"]
)
def test_no_horizontal_scroll_on_a_phone_and_touch_works(
    browser: Any, run_site: str, path: str
) -> None:
    with _tab(browser, 390, 844, has_touch=True, is_mobile=True) as page:
        page.goto(run_site + path)
        page.locator(".wb-run").wait_for()
        if "?" in path:
            page.locator(".wb-run__timer").wait_for()
            page.locator(".wb-run__toggle").tap()
            page.locator(".wb-run__next-step").tap()
            assert page.locator(".wb-run__toggle").inner_text() in ("Pause",)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        assert page.console_errors == []
