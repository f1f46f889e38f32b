// Charts of the pages, drawn with the locally served ECharts. Data comes from the page itself
// (data attributes) or from the JSON API on the same origin.
"use strict";

// The Content-Security-Policy (web/headers.py) allows no inline style: HTMX must not add its
// indicator <style> element (the rules are in app.css), nor evaluate code from attributes.
// Deferred scripts run in order before DOMContentLoaded, when HTMX reads its configuration.
Object.assign(htmx.config, { includeIndicatorStyles: false, allowEval: false });

// No entrance animation: figures show at once, and screenshots show the final chart.
const BASE = { animation: false };
// Tooltips drawn on the chart's canvas: ECharts' HTML tooltips carry style="" attributes,
// which the policy refuses.
const TIP = { renderMode: "richText" };

async function getJSON(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(url + " → " + response.status);
  return response.json();
}

async function drawMap(el, indicator) {
  const region = el.dataset.region;
  const [geo, values] = await Promise.all([
    getJSON("/api/geo/" + region),
    getJSON("/api/regions/" + region + "/map?indicator=" + indicator),
  ]);
  echarts.registerMap("r" + region, geo);
  const data = values.counties.map((c) => ({ name: c.name, value: c.value, code: c.code }));
  const numbers = data.map((d) => d.value).filter((v) => v !== null);
  const chart = echarts.getInstanceByDom(el) || echarts.init(el);
  // On a phone the scale lies under the map, not over it.
  const scale = narrow(el) ? { orient: "horizontal", left: "center", bottom: 0, itemWidth: 12, itemHeight: 140 }
    : { left: 0, bottom: 0 };
  chart.setOption({
    ...BASE,
    tooltip: { ...TIP, trigger: "item", formatter: (p) => p.name + "：" + (p.value ?? "—") },
    visualMap: { min: Math.min(...numbers), max: Math.max(...numbers), calculable: true, ...scale,
                 text: [values.title, ""], inRange: { color: ["#e0ecf8", "#0b5cad"] } },
    series: [{ type: "map", map: "r" + region, nameProperty: "name", data: data, label: { show: true, fontSize: 10 },
               ...(narrow(el) ? { top: 10, bottom: 60 } : {}) }],
  }, true);
  chart.off("click");
  chart.on("click", (p) => { if (p.data && p.data.code) window.location.href = "/region/" + p.data.code; });
  el.dataset.drawn = "1";
}

// A chart narrower than a tablet: legends and scales are laid out for a phone.
const narrow = (el) => el.clientWidth < 480;

// Printed, a chart is drawn anew at the width of an A4 page less its margins (180 mm = 680 CSS px);
// back on screen, at its box's size. (app.css scales the canvas to the page should this not run.)
const PRINT_WIDTH = 680;
function fitCharts(printing) {
  document.querySelectorAll(".chart").forEach((el) => {
    const chart = echarts.getInstanceByDom(el);
    if (!chart) return;
    chart.resize(printing ? { width: PRINT_WIDTH, height: el.id === "map" ? 420 : 360 } : { width: "auto", height: "auto" });
    chart.getZr().refreshImmediately(); // drawn now, not at the next frame: the print may not wait for it
  });
}
window.matchMedia("print").addEventListener("change", (m) => fitCharts(m.matches));
window.addEventListener("beforeprint", () => fitCharts(true));
// (Chrome fires afterprint before it has drawn the printed page's canvases when printing to PDF with
// print media emulated: the charts keep their print size while print media still applies.)
window.addEventListener("afterprint", () => { if (!window.matchMedia("print").matches) fitCharts(false); });

function drawGrades(el) {
  const rows = JSON.parse(el.dataset.grades);
  const chart = echarts.init(el);
  const colors = { A: "#1a7f37", B: "#3182ce", C: "#dd6b20", D: "#c53030" };
  chart.setOption({
    ...BASE,
    tooltip: { ...TIP, trigger: "axis" }, legend: {}, grid: { left: 60, right: 24, bottom: 30 },
    xAxis: { type: "value" }, yAxis: { type: "category", data: rows.map((r) => r.name) },
    series: ["A", "B", "C", "D"].map((g) => ({ name: g + "类", type: "bar", stack: "all",
      itemStyle: { color: colors[g] }, data: rows.map((r) => r[g]) })),
  });
}

function drawYears(el) {
  const rows = JSON.parse(el.dataset.years);
  const chart = echarts.init(el);
  chart.setOption({
    ...BASE,
    tooltip: { ...TIP, trigger: "axis" }, legend: {},
    xAxis: { type: "category", data: rows.map((r) => r.year) }, yAxis: { type: "value", name: "万元" },
    series: [["revenue", "营业收入"], ["value_added", "增加值"], ["tax_paid", "实缴税金"]].map(([k, n]) =>
      ({ name: n, type: "line", data: rows.map((r) => r[k]) })),
  });
}

function drawSparks() {
  const node = document.getElementById("series");
  if (!node) return;
  const series = JSON.parse(node.textContent);
  document.querySelectorAll(".spark").forEach((el) => {
    const points = series[el.dataset.indicator] || [];
    const chart = echarts.init(el);
    chart.setOption({
      ...BASE,
      grid: { left: 2, right: 2, top: 4, bottom: 4 }, xAxis: { type: "category", show: false, data: points.map((p) => p[0]) },
      yAxis: { type: "value", show: false, scale: true },
      series: [{ type: "line", data: points.map((p) => p[1]), symbol: "none",
                 markLine: { silent: true, symbol: "none", data: [{ yAxis: Number(el.dataset.target) }], lineStyle: { color: "#c53030" } } }],
    });
  });
}

// The what-if panel of a run page asks (with HTMX) for the chosen spec's table; the address
// follows (replaced, not pushed: the panel is a view of the page, not a page). The tables of the
// listed specs are asked for once the page has loaded, one after the other, and kept: a click on
// 分析 then shows the chosen one without waiting for its evaluation, or waits for its request in
// flight. A spec clicked before its turn, a second click, or a failed request: HTMX asks.
function prefetchWhatIf(form) {
  const select = form.querySelector("select[name=spec]");
  const url = (spec) => form.getAttribute("hx-get") + "?spec=" + encodeURIComponent(spec);
  const ask = (spec) =>
    fetch(url(spec), { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then((r) => (r.ok ? r.text() : null), () => null);
  const tables = new Map(); // spec → its table (a promise), null once used
  let chain = Promise.resolve();
  for (const spec of Array.from(select.options, (o) => o.value)) {
    chain = chain.then(() => {
      if (tables.has(spec)) return null;
      tables.set(spec, ask(spec));
      return tables.get(spec);
    });
  }
  form.addEventListener("htmx:beforeRequest", (event) => {
    const spec = select.value;
    const table = tables.get(spec);
    tables.set(spec, null);
    if (!table) return;
    event.preventDefault();
    table.then((html) => {
      if (html === null) return htmx.trigger(form, "submit");
      document.getElementById("whatif").innerHTML = html;
      history.replaceState(history.state, "", url(spec));
    });
  });
}

window.addEventListener("load", () => {
  const form = document.querySelector("form[hx-get][hx-target='#whatif']");
  if (form) prefetchWhatIf(form);
});

document.addEventListener("DOMContentLoaded", () => {
  const map = document.getElementById("map");
  if (map) {
    const select = document.getElementById("map-indicator");
    drawMap(map, select.value);
    select.addEventListener("change", () => drawMap(map, select.value));
  }
  const grades = document.getElementById("grades");
  if (grades) drawGrades(grades);
  const years = document.getElementById("years");
  if (years) drawYears(years);
  drawSparks();
});
