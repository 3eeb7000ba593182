// The review site's only script: filter a table, switch the timeline's views, show the
// columns' descriptions, and light every mark of the evidence span under the pointer or
// the keyboard focus.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const filter = document.querySelector("input[data-filter]");
  if (filter) {
    const rows = document.querySelectorAll(`#${filter.dataset.filter} tbody tr`);
    const count = document.getElementById("count");
    filter.addEventListener("input", () => {
      const wanted = filter.value.trim().toLowerCase();
      let shown = 0;
      rows.forEach((row) => {
        const match = row.textContent.toLowerCase().includes(wanted);
        row.hidden = !match;
        shown += match ? 1 : 0;
      });
      count.textContent = `${shown} of ${rows.length} rows`;
    });
  }
  const chosen = (name) => document.querySelector(`input[name=${name}]:checked`).value;
  document.querySelectorAll("input[name=lanes], input[name=span]").forEach((radio) => {
    radio.addEventListener("change", () => {
      document.querySelectorAll("figure[data-lanes]").forEach((figure) => {
        figure.hidden = figure.dataset.lanes !== chosen("lanes") || figure.dataset.span !== chosen("span");
      });
    });
  });
  const describe = document.querySelector("input[data-describe]");
  if (describe) {
    describe.addEventListener("change", () => document.body.classList.toggle("describe", describe.checked));
  }
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") document.body.classList.add("quiet");
  });
  document.addEventListener("mousemove", () => document.body.classList.remove("quiet"));
  const marks = document.querySelectorAll("[data-evidence]");
  const light = (element, on) => {
    const numbers = element.dataset.evidence.split(" ");
    marks.forEach((other) => {
      if (other.dataset.evidence.split(" ").some((n) => numbers.includes(n))) {
        other.classList.toggle("active", on);
      }
    });
  };
  document.querySelectorAll("a.span").forEach((span) => {
    for (const [event, on] of [["mouseenter", true], ["mouseleave", false], ["focus", true], ["blur", false]]) {
      span.addEventListener(event, () => light(span, on));
    }
  });
});
