"""Automated accessibility checks of the main pages, as every kind of user, in French and Dutch, on a
desktop (1280 px) and a phone (390 px): axe-core finds nothing, no page scrolls sideways on a phone
and each of its cells shows with its column's name, and the keyboard never lands on a control that
cannot be seen nor shows a focus ring that does not stand out (3:1)."""

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from tests.browser.pages import DESKTOP, PHONE, load_demo, open_as, visitors

pytestmark = pytest.mark.browser

# Each page is scanned twice, so that it is seen in both languages and at both widths.
AXE_PASSES = [(("fr", DESKTOP), ("nl", PHONE)), (("fr", PHONE), ("nl", DESKTOP))]
MAX_TABS = 80

PHONE_LAYOUT_PROBLEMS = """() => {
  const width = window.innerWidth, problems = [];
  const pageWidth = document.documentElement.scrollWidth;
  if (pageWidth > width) problems.push(`the page is ${pageWidth}px wide`);
  let cells = 0;
  document.querySelectorAll("main table tbody > tr > *, main table tfoot > tr > *").forEach((cell) => {
    if (!cell.textContent.trim()) return;
    cells += 1;
    const box = cell.getBoundingClientRect(), style = getComputedStyle(cell);
    const name = `${cell.closest("table").id || "table"} cell "${cell.textContent.trim().slice(0, 30)}"`;
    if (box.width === 0 || box.height === 0 || style.visibility === "hidden") problems.push(`${name} is hidden`);
    else if (box.left < 0 || box.right > width + 0.5) problems.push(`${name} is off-screen (${box.left}-${box.right})`);
    else if (box.width < cell.closest("table").getBoundingClientRect().width * 0.6) problems.push(`${name} is not stacked`);
    if (cell.tagName === "TD" && !cell.classList.contains("no-phone-label")) {
      if (!cell.dataset.label) problems.push(`${name} has no label`);
      else if (getComputedStyle(cell, "::before").content === "none") problems.push(`${name} does not show its label`);
    }
  });
  return {problems, cells};
}"""

FOCUSED_CONTROL = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  // A date input takes several Tab presses (day, month, year): one stop per element.
  window.seenControls = window.seenControls || new Set();
  const again = element === window.lastControl, looped = !again && window.seenControls.has(element);
  window.seenControls.add(element);
  window.lastControl = element;
  if (again || looped) return {again, looped};
  const box = element.getBoundingClientRect(), style = getComputedStyle(element);
  let visible = box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth
    && box.bottom > 0 && box.top < innerHeight && style.visibility !== "hidden" && style.opacity !== "0";
  // Moved off-screen or clipped away by itself or an ancestor (the "visually hidden" pattern).
  for (let node = element; node && visible; node = node.parentElement) {
    const nodeStyle = getComputedStyle(node), nodeBox = node.getBoundingClientRect();
    const clips = nodeStyle.clip !== "auto" || nodeStyle.clipPath !== "none" || nodeStyle.overflow !== "visible";
    if (node !== element && clips) {
      const width = Math.min(box.right, nodeBox.right) - Math.max(box.left, nodeBox.left);
      const height = Math.min(box.bottom, nodeBox.bottom) - Math.max(box.top, nodeBox.top);
      if (width < 2 || height < 2) visible = false;
    }
    if (nodeStyle.clip.startsWith("rect(0") || nodeStyle.opacity === "0") visible = false;
  }
  const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  let background = [255, 255, 255];
  for (let node = element.parentElement; node; node = node.parentElement) {
    const colour = rgb(getComputedStyle(node).backgroundColor);
    if (colour.length < 4 || colour[3] > 0) { background = colour.slice(0, 3); break; }
  }
  let contrast = 0;
  if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) {
    const [a, b] = [luminance(rgb(style.outlineColor)), luminance(background)].sort((x, y) => y - x);
    contrast = (a + 0.05) / (b + 0.05);
  }
  const text = (element.textContent || element.value || element.name || "").trim().slice(0, 30);
  return {name: `${element.tagName.toLowerCase()}#${element.id} "${text}"`, visible, contrast};
}"""


@pytest.fixture
def demo(reference_data):
    load_demo()
    return visitors()


def test_axe_core_finds_no_violation_on_the_main_pages(live_server, demo, new_context):
    scanned, problems = 0, []
    for role, visitor in demo.items():
        for (language, viewport), (other_language, other_viewport) in AXE_PASSES:
            for half, paths in enumerate((visitor.pages[0::2], visitor.pages[1::2])):
                chosen_language, chosen_viewport = (
                    (language, viewport) if half == 0 else (other_language, other_viewport)
                )
                page = open_as(new_context, live_server.url, visitor, chosen_language, chosen_viewport)
                page.context.add_init_script(AXE_SCRIPT)  # axe-core in every page the context loads
                for path in paths:
                    page.goto(f"{live_server.url}{path}")
                    assert page.locator("html").get_attribute("lang") == chosen_language
                    scanned += 1
                    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
                    where = f"{role} {chosen_language} {chosen_viewport['width']}px {path}"
                    for violation in results["violations"]:
                        targets = [node["target"] for node in violation["nodes"]][:3]
                        problems.append(f"{where}: {violation['id']} {targets}")
                    if page.evaluate("document.documentElement.scrollWidth > innerWidth"):
                        problems.append(f"{where}: the page scrolls sideways")
                page.context.close()
    print(f"\naxe-core scanned {scanned} pages: {len(problems)} violations")
    assert scanned >= 50
    assert problems == []


def test_no_page_scrolls_sideways_on_a_phone_and_every_table_cell_shows_with_its_label(
    live_server, demo, new_context
):
    checked_pages, checked_cells, problems = 0, 0, []
    for language in ("fr", "nl"):
        for role, visitor in demo.items():
            page = open_as(new_context, live_server.url, visitor, language, PHONE)
            for path in dict.fromkeys([*visitor.lists, *visitor.pages]):
                page.goto(f"{live_server.url}{path}")
                result = page.evaluate(PHONE_LAYOUT_PROBLEMS)
                checked_pages += 1
                checked_cells += result["cells"]
                problems += [f"{role} {language} {path}: {problem}" for problem in result["problems"]]
            page.context.close()
    print(f"\n{checked_pages} pages at 390 px, {checked_cells} table cells checked: {len(problems)} problems")
    assert checked_cells > 200
    assert problems == []


def test_tabbing_on_a_phone_lands_only_on_visible_controls_with_a_contrasting_focus_ring(
    live_server, demo, new_context
):
    stops, problems = 0, []
    for number, (role, visitor) in enumerate(demo.items()):
        language = ("fr", "nl")[number % 2]
        page = open_as(new_context, live_server.url, visitor, language, PHONE)
        for path in visitor.pages:
            page.goto(f"{live_server.url}{path}")
            for _ in range(MAX_TABS):
                page.keyboard.press("Tab")
                control = page.evaluate(FOCUSED_CONTROL)
                if control is None or control.get("looped"):
                    break
                if control.get("again"):
                    continue
                stops += 1
                if not control["visible"]:
                    problems.append(f"{role} {path}: {control['name']} is focused but not visible")
                if control["contrast"] < 3:
                    problems.append(
                        f"{role} {path}: focus ring of {control['name']} contrasts {control['contrast']:.1f}:1"
                    )
        page.context.close()
    print(f"\n{stops} keyboard stops checked at 390 px: {len(problems)} problems")
    assert stops > 100
    assert problems == []
