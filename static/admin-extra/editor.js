// Filter box above a long list of category checkboxes: hides the ones that do not match.
"use strict";
document.addEventListener("input", (event) => {
  const box = event.target;
  if (!box.matches || !box.matches(".facet-filter")) return;
  const words = box.value.trim().toLowerCase();
  for (const item of box.closest("[data-facet-filter]").querySelectorAll(":scope > div > div")) {
    const checked = item.querySelector("input:checked") !== null;
    item.hidden = words !== "" && !checked && !item.textContent.toLowerCase().includes(words);
  }
});
