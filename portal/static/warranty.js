// Warranty look-up: count the serial numbers typed into the bulk box as the user types,
// and bring a result into view when the page shows one.
(() => {
  const shown = document.querySelector("#result, #results");
  if (shown) shown.scrollIntoView({ block: "start" });

  const counter = document.querySelector(".js-serial-count");
  const box = document.querySelector("#bulk-form textarea");
  if (!counter || !box) return;
  const limit = Number(counter.dataset.limit);
  const format = new Intl.NumberFormat(document.documentElement.lang || undefined);
  const update = () => {
    const n = box.value.split(/[\s,;]+/).filter(Boolean).length;
    counter.textContent = n ? counter.dataset.template.replace("{n}", format.format(n)) : "";
    const over = n > limit;
    counter.classList.toggle("text-danger", over);
    counter.classList.toggle("text-muted", !over);
    if (over) counter.textContent += " " + counter.dataset.over;
  };
  box.addEventListener("input", update);
  update();
})();
