// Warranty schemes: add rows to a terms table (part prices, model ratios, tiers), and draw
// the comparison chart from the figures the page carries in data-chart (no inline script).
(() => {
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".js-add-row");
    if (!button) return;
    const template = document.getElementById(button.dataset.template);
    const body = document.getElementById(button.dataset.target);
    if (!template || !body) return;
    const next = Number(button.dataset.next || 0);
    button.dataset.next = String(next + 1);
    body.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__i__", String(next)));
    const first = body.lastElementChild && body.lastElementChild.querySelector("input, select");
    if (first) first.focus();
  });

  const canvas = document.getElementById("comparison-chart");
  if (!canvas || !window.Chart) return;
  const data = JSON.parse(canvas.dataset.chart);
  const format = new Intl.NumberFormat(document.documentElement.lang || undefined,
                                       { maximumFractionDigits: 2 });
  new window.Chart(canvas, {
    type: "bar",
    data,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { ticks: { callback: (value) => format.format(value) } } },
      plugins: {
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${format.format(ctx.parsed.y)}` } },
      },
    },
  });
})();
