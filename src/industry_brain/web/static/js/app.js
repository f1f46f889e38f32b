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

// Numbers as a bureau reads them: thousands separators and fixed decimals.
function fmt(value, digits = 2) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return new Intl.NumberFormat("zh-CN", { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

// One figure per child region of the user's area: a map where the reference data has the
// children's boundaries (a province's cities, a city's counties), ranked bars otherwise (parks).
async function drawMap(el, indicator) {
  const region = el.dataset.region;
  const query = "?indicator=" + indicator + "&year=" + el.dataset.year;
  const [geo, values] = await Promise.all([
    getJSON("/api/geo/" + region),
    getJSON("/api/regions/" + region + "/map" + query),
  ]);
  const unit = values.unit;
  const data = values.children.map((c) => ({ name: c.name, short: c.short, value: c.value, code: c.code, n: c.n }));
  const numbers = data.map((d) => d.value).filter((v) => v !== null);
  const caption = document.getElementById("map-caption");
  const old = echarts.getInstanceByDom(el);
  if (old) old.dispose();
  const chart = echarts.init(el);
  const tip = (name, value, n) => name + "\n" + values.title + "：" + fmt(value) + (value === null ? "" : " " + unit) +
    (n ? "\n规上企业：" + fmt(n, 0) + "家" : "");
  if (values.geometry && geo.features.length) {
    echarts.registerMap("r" + region, geo);
    let [min, max] = [Math.min(...numbers), Math.max(...numbers)];
    if (!numbers.length) [min, max] = [0, 1];
    else if (min === max) min = Math.min(0, min);
    chart.setOption({
      ...BASE,
      tooltip: { ...TIP, trigger: "item", formatter: (p) => tip(p.name, p.data ? p.data.value : null, p.data && p.data.n) },
      visualMap: { type: "continuous", min: min, max: max, calculable: false, left: 8, bottom: 8, itemHeight: 120,
                   orient: el.clientWidth < 520 ? "horizontal" : "vertical",
                   text: [fmt(max) + " " + unit, fmt(min) + " " + unit], textGap: 6,
                   inRange: { color: ["#dbe9f6", "#6aa3d8", "#0b4f94"] }, outOfRange: { color: "#eceff3" } },
      series: [{ type: "map", map: "r" + region, nameProperty: "name", data: data, selectedMode: false,
                 layoutCenter: ["55%", el.clientWidth < 520 ? "45%" : "50%"], layoutSize: "90%",
                 label: { show: true, fontSize: 11, color: "#1f2933", formatter: (p) => (p.data && p.data.short) || p.name },
                 labelLayout: { hideOverlap: true },
                 itemStyle: { areaColor: "#eceff3", borderColor: "#ffffff", borderWidth: 1 },
                 emphasis: { label: { show: true, fontWeight: "bold" }, itemStyle: { areaColor: "#f6c343" } } }],
    }, true);
  } else {
    const ranked = data.filter((d) => d.value !== null).sort((a, b) => a.value - b.value);
    chart.setOption({
      ...BASE,
      tooltip: { ...TIP, trigger: "item", formatter: (p) => tip(p.data.name, p.data.value, p.data.n) },
      grid: { left: 8, right: 72, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: "value", name: unit, axisLabel: { formatter: (v) => fmt(v, 0) } },
      yAxis: { type: "category", data: ranked.map((d) => d.name), axisLabel: { width: 150, overflow: "truncate" } },
      series: [{ type: "bar", data: ranked, itemStyle: { color: "#0b5cad" }, barMaxWidth: 28,
                 label: { show: true, position: "right", formatter: (p) => fmt(p.value) } }],
    }, true);
    if (!ranked.length) chart.setOption({ title: { text: "无下辖园区数据", left: "center", top: "middle", textStyle: { color: "#6b7785", fontSize: 14 } } });
  }
  const missing = data.length - numbers.length;
  if (caption) caption.textContent = values.title + "（" + unit + "），" + values.year + "年，" + values.full_title +
    "。" + (missing ? missing + "个" + ({ city: "市", county: "区县", park: "园区" }[values.child_level] || "地区") + "无数据（灰色）。" : "") + (values.geometry ? "点击地区查看详情。" : "");
  chart.off("click");
  chart.on("click", (p) => { if (p.data && p.data.code) window.location.href = "/region/" + p.data.code; });
  el.dataset.drawn = "1";
}

const GRADE_COLORS = { A: "#1a7f37", B: "#3182ce", C: "#dd6b20", D: "#c53030" };

// Grade counts of the run shown: by county (stacked bars), or one county's as a ring.
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
  if (rows.length === 1) {
    const row = rows[0];
    const total = ["A", "B", "C", "D"].reduce((s, g) => s + row[g], 0);
    chart.setOption({
      ...BASE,
      tooltip: { ...TIP, trigger: "item", formatter: (p) => p.name + "：" + fmt(p.value, 0) + "家（" + fmt(p.percent, 1) + "%）" },
      title: { text: fmt(total, 0) + "家", subtext: "参评企业", left: "center", top: "middle", textStyle: { fontSize: 20 } },
      series: [{ type: "pie", radius: ["45%", "70%"], data: ["A", "B", "C", "D"].map((g) => ({ name: g + "类", value: row[g], itemStyle: { color: GRADE_COLORS[g] } })),
                 label: { formatter: (p) => p.name + "\n" + fmt(p.value, 0) + "家 " + fmt(p.percent, 1) + "%" } }],
    });
    return;
  }
  chart.setOption({
    ...BASE,
    tooltip: { ...TIP, trigger: "axis" }, legend: { top: 0 }, grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "value", name: "家" }, yAxis: { type: "category", inverse: true, data: rows.map((r) => r.name) },
    series: ["A", "B", "C", "D"].map((g) => ({ name: g + "类", type: "bar", stack: "all",
      itemStyle: { color: GRADE_COLORS[g] }, data: rows.map((r) => r[g]) })),
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

// A chain's supply network (chains_map.html): the data embedded in the page (web/chain_network.py).
// Colours (app.css --segment-N, --outside-N, shown by the page's legend too): one per segment, then
// greys and a brown for suppliers outside the chain by where they are. Positions come laid out.
const shortName = (name) => name.replace(/(股份)?有限(责任)?公司$/, "").replace(/^名称:/, "");

function drawChainGraph(el) {
  const data = JSON.parse(document.getElementById("chain-graph-data").textContent);
  const css = getComputedStyle(document.documentElement);
  const segments = data.categories.length - 4;
  const colors = data.categories.map((_, i) =>
    css.getPropertyValue(i < segments ? "--segment-" + (i % 8) : "--outside-" + (i - segments)).trim());
  const widest = Math.max(...data.links.map((l) => l.value), 1);
  const small = narrow(el);
  const nodes = data.nodes.map((n) => ({
    ...n,
    symbol: n.critical ? "diamond" : "circle",
    symbolSize: small ? Math.max(6, n.symbolSize * 0.7) : n.symbolSize,
    itemStyle: n.critical ? { borderColor: "#b42318", borderWidth: 3 } : undefined,
    label: { show: n.symbolSize >= (small ? 30 : 22) },
  }));
  const links = data.links.map((l) => ({ ...l, lineStyle: { width: 0.6 + 5 * (l.value / widest) } }));
  // The drawing is stretched to the box: turned a quarter when the box is tall and the drawing wide
  // (a phone), and two hidden points widen its narrower side so that it keeps its shape.
  const box = (el.clientWidth - (small ? 32 : 112)) / (el.clientHeight - 32);
  const spread = (key) => Math.max(...nodes.map((n) => n[key])) - Math.min(...nodes.map((n) => n[key]));
  if ((spread("x") > spread("y")) !== (box > 1)) nodes.forEach((n) => { [n.x, n.y] = [n.y, n.x]; });
  const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const [w, h] = [Math.max(x1 - x0, 1), Math.max(y1 - y0, 1)];
  const [padX, padY] = w / h < box ? [(h * box - w) / 2, 0] : [0, (w / box - h) / 2];
  for (const [x, y] of [[x0 - padX, y0 - padY], [x1 + padX, y1 + padY]]) {
    nodes.push({ id: "pad" + nodes.length, name: "", x: x, y: y, symbolSize: 0, silent: true, label: { show: false },
                 tooltip: { show: false }, emphasis: { disabled: true } });
  }
  const tip = (p) => {
    if (p.dataType === "edge") {
      return data.nodes[Number(p.data.source)].name + " → " + data.nodes[Number(p.data.target)].name + "\n" + fmt(p.data.value, 1) + " 万元";
    }
    const n = p.data;
    return n.name + "\n" + data.categories[n.category] + (n.critical ? "（关键供应商）" : "") +
      (n.sold ? "\n供货 " + fmt(n.sold, 1) + " 万元" : "") + (n.bought ? "\n采购 " + fmt(n.bought, 1) + " 万元" : "");
  };
  const chart = echarts.init(el);
  chart.setOption({
    ...BASE,
    color: colors,
    tooltip: { ...TIP, trigger: "item", formatter: tip },
    series: [{
      type: "graph", layout: "none", roam: true, nodeScaleRatio: 0, left: 16, right: small ? 16 : 96, top: 16, bottom: 16,
      data: nodes, links: links, categories: data.categories.map((name) => ({ name: name })),
      edgeSymbol: ["none", "arrow"], edgeSymbolSize: 5,
      lineStyle: { color: "source", opacity: 0.45, curveness: 0.12 },
      label: { position: "right", fontSize: 11, color: "#1f2933", formatter: (p) => shortName(p.name) },
      labelLayout: { hideOverlap: true },
      emphasis: { focus: "adjacency", label: { show: true } },
    }],
  });
  chart.on("click", (p) => { if (p.dataType === "node" && p.data.href) window.location.href = p.data.href; });
  window.addEventListener("resize", () => chart.resize());
  el.dataset.drawn = "1";
}

window.addEventListener("load", () => {
  const form = document.querySelector("form[hx-get][hx-target='#whatif']");
  if (form) prefetchWhatIf(form);
});

document.addEventListener("DOMContentLoaded", () => {
  // A select that is its form's only choice (the overview's year) submits when changed.
  document.querySelectorAll("select[data-autosubmit]").forEach((select) =>
    select.addEventListener("change", () => select.form.submit()));
  const map = document.getElementById("map");
  if (map) {
    const select = document.getElementById("map-indicator");
    drawMap(map, select.value);
    select.addEventListener("change", () => drawMap(map, select.value));
    window.addEventListener("resize", () => echarts.getInstanceByDom(map)?.resize());
  }
  const grades = document.getElementById("grades");
  if (grades) drawGrades(grades);
  const years = document.getElementById("years");
  if (years) drawYears(years);
  drawSparks();
  const graph = document.getElementById("chain-graph");
  if (graph) drawChainGraph(graph);
});

// The header's search: its live suggestions close on Escape and on a click elsewhere.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("search-suggest");
  if (!box) return;
  const close = () => { box.innerHTML = ""; };
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
  document.addEventListener("click", (event) => { if (!box.parentElement.contains(event.target)) close(); });
});
