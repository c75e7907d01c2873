// One asset: definition, status, Materialize (asset, partition, range or missing), the
// partitions health strip, recent materializations with schema and a metadata plot.
"use strict";

(async () => {
  const { el, main } = ag;
  const key = ag.page.key;
  const head = el("div", { id: "asset-head" });
  const launchPanel = el("section", { id: "materialize", class: "panel" });
  const partitionsPanel = el("section", { id: "partitions", class: "panel" });
  const historyPanel = el("section", { id: "history", class: "panel" });
  main.append(head, launchPanel, partitionsPanel, historyPanel);

  let detail;
  try {
    detail = await ag.api(ag.assetApi("assets", key));
  } catch (error) {
    ag.showError(main, error);
    return;
  }
  const partitioned = detail.summary.partitioned;

  function renderHead(d) {
    const s = d.summary;
    const tags = Object.entries(s.tags).map(([k, v]) => el("span", { class: "tag", text: `${k}=${v}` }));
    const link = (k) => el("a", { href: ag.assetHref(k), class: "key chip", text: k });
    ag.clear(head).append(
      el("h1", {}, el("span", { class: "key", text: s.key }), " ", el("span", { id: "asset-status" }, ag.badge(s.status))),
      s.description ? el("p", { class: "description", text: s.description }) : el("p", { class: "muted", text: "No description." }),
      el("dl", { class: "facts" },
        el("dt", { text: "Group" }), el("dd", {}, el("a", { href: `/?group=${encodeURIComponent(s.group)}`, text: s.group })),
        el("dt", { text: "Code version" }), el("dd", { class: "mono", id: "code-version", text: d.code_version }),
        el("dt", { text: "IO manager" }), el("dd", { class: "mono", text: d.io_manager_key }),
        el("dt", { text: "Last materialized" }), el("dd", { title: ag.fmtTime(s.last_materialized_at), text: ag.fmtAgo(s.last_materialized_at) }),
        s.partitions ? [el("dt", { text: "Partitions" }), el("dd", { text: `${s.partitions.materialized} of ${s.partitions.total} materialized, ${s.partitions.stale} stale, ${s.partitions.failed} failed, ${s.partitions.missing} missing` })] : [],
        d.partitions_def ? [el("dt", { text: "Partitions definition" }), el("dd", { class: "mono", text: describePartitions(d.partitions_def) })] : [],
        el("dt", { text: "Tags" }), el("dd", {}, tags.length ? tags : "—"),
        el("dt", { text: "Owners" }), el("dd", { text: s.owners.join(", ") || "—" }),
        el("dt", { text: "Upstream" }), el("dd", {}, d.upstream.length ? d.upstream.map((u) => [link(u.key), u.partition_mapping ? el("span", { class: "muted small", text: ` ${u.partition_mapping} ` }) : " "]) : "—"),
        el("dt", { text: "Downstream" }), el("dd", {}, d.downstream.length ? d.downstream.map(link) : "—"),
        el("dt", { text: "Checks" }), el("dd", { text: d.checks.length ? d.checks.join(", ") : "none defined" }),
        el("dt", { text: "Lineage" }), el("dd", {}, el("a", { href: `/lineage?focus=${encodeURIComponent(s.key)}`, text: "show in graph" })),
        codeReferences(d)
      )
    );
  }

  // Code references (with_source_code_references / link_code_references_to_git): links
  // only to http(s) URLs; local references are shown as file:line.
  function codeReferences(d) {
    const refs = ((d.metadata || {})["assetgraph/code_references"] || {}).code_references || [];
    if (!refs.length) return [];
    const items = refs.map((r) => (r.kind === "url" && /^https?:\/\//.test(r.url || "")
      ? el("a", { href: r.url, class: "mono code-reference", text: r.label || r.url })
      : el("span", { class: "mono code-reference", text: `${r.file_path}:${r.line_number}` })));
    return [el("dt", { text: "Code" }), el("dd", {}, items.flatMap((item, i) => (i ? [" ", item] : [item])))];
  }

  function describePartitions(p) {
    if (p.kind === "time_window") return `${p.type}: from ${p.start}${p.end ? " to " + p.end : ""} (${p.timezone})`;
    if (p.kind === "static") return `${p.type}: ${p.keys_count} keys (${p.first_keys.join(", ")}${p.keys_count > p.first_keys.length ? ", …" : ""})`;
    if (p.kind === "dynamic") return `${p.type} '${p.name}'`;
    if (p.kind === "multi") return `${p.type}: ${p.dimensions.map((d) => d.name).join(" × ")}`;
    return p.type;
  }

  // -- Materialize -------------------------------------------------------------------------
  const launchStatus = el("div", { id: "launch-status", role: "status" });
  const partitionInput = el("input", { id: "partition-key", placeholder: "partition key", "aria-label": "Partition key" });
  const rangeFirst = el("input", { id: "range-first", placeholder: "first", "aria-label": "First partition" });
  const rangeLast = el("input", { id: "range-last", placeholder: "last", "aria-label": "Last partition" });
  const buttons = [];
  function button(id, text, payload) {
    const b = el("button", { id, type: "button", text, onclick: () => launch(payload()) });
    buttons.push(b);
    return b;
  }
  launchPanel.append(el("h2", { text: "Materialize" }));
  if (detail.summary.source) {
    launchPanel.append(el("p", { id: "source-note", class: "muted", text: "A source asset: its assets downstream read it, but assetgraph never materializes it. 'assetgraph observe' records its current version." }));
  } else if (partitioned) {
    launchPanel.append(
      el("div", { class: "controls" }, partitionInput, button("materialize-partition", "Materialize partition", () => ({ partition: partitionInput.value.trim() }))),
      el("div", { class: "controls" }, rangeFirst, el("span", { text: "…" }), rangeLast, button("materialize-range", "Materialize range", () => ({ partition_range: { first: rangeFirst.value.trim(), last: rangeLast.value.trim() } }))),
      el("div", { class: "controls" }, button("materialize-missing", "Materialize missing partitions", () => ({ missing: true }))),
      el("p", { class: "muted small", text: "Click a range of the health strip to fill these in." })
    );
  } else {
    launchPanel.append(el("div", { class: "controls" }, button("materialize-asset", "Materialize", () => ({}))));
  }
  launchPanel.append(launchStatus);

  async function launch(payload) {
    buttons.forEach((b) => (b.disabled = true));
    ag.clear(launchStatus).append(el("span", { class: "muted", text: "Starting run…" }));
    try {
      const started = await ag.post("/api/materialize", Object.assign({ asset_key: key }, payload));
      await follow(started.run_id);
    } catch (error) {
      ag.clear(launchStatus);
      ag.showError(launchStatus, error);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  }

  async function follow(runId) {
    const link = el("a", { href: ag.runHref(runId), class: "mono", id: "launched-run", text: runId.slice(0, 8) });
    const state = el("span", { id: "launched-status" }, ag.badge("started", "run"));
    ag.clear(launchStatus).append("Run ", link, " ", state);
    for (;;) {
      const detail = await ag.api(`/api/runs/${encodeURIComponent(runId)}`);
      ag.clear(state).append(ag.badge(detail.run.status, "run"));
      state.dataset.status = detail.run.status;
      if (detail.run.ended_at !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    await refresh();
  }

  // -- Partitions health strip ----------------------------------------------------------------
  async function renderPartitions() {
    ag.clear(partitionsPanel).append(el("h2", { text: "Partitions" }));
    if (!partitioned) {
      partitionsPanel.append(el("p", { class: "muted", text: "Not partitioned." }));
      return;
    }
    const p = await ag.api(ag.assetApi("partitions", key));
    const strip = el("div", { class: "strip", id: "strip", role: "list" });
    const minShare = p.ranges.length > 200 ? 0 : 0.4;
    for (const r of p.ranges) {
      const label = r.count === 1 ? r.first : `${r.first} … ${r.last}`;
      const segment = el("button", {
        type: "button", role: "listitem",
        class: `seg st-${r.status}`, "data-status": r.status, "data-first": r.first, "data-last": r.last,
        title: `${label}: ${r.status} (${r.count})`,
        onclick: () => { partitionInput.value = r.first; rangeFirst.value = r.first; rangeLast.value = r.last; },
      });
      segment.style.flexGrow = String(Math.max(r.count / p.total * 100, minShare));
      strip.append(segment);
    }
    const counts = {};
    p.ranges.forEach((r) => (counts[r.status] = (counts[r.status] || 0) + r.count));
    partitionsPanel.append(
      strip,
      el("p", { class: "legend" }, Object.entries(counts).map(([s, n]) => [ag.badge(s), ` ${n} `])),
      el("details", { open: p.ranges.length <= 12 },
        el("summary", { text: `${p.ranges.length} ranges of ${p.total} partitions` }),
        ag.table(["Status", "First", "Last", "Count"], p.ranges.map((r) =>
          el("tr", { "data-status": r.status, "data-first": r.first },
            el("td", {}, ag.badge(r.status)), el("td", { class: "mono", text: r.first }),
            el("td", { class: "mono", text: r.last }), el("td", { text: r.count }))))
      )
    );
  }

  // -- Materializations, schema and plot --------------------------------------------------------
  async function renderHistory() {
    const events = await ag.api(ag.assetApi("materializations", key) + "?limit=200");
    ag.clear(historyPanel).append(el("h2", { text: "Recent materializations" }));
    if (!events.length) {
      historyPanel.append(el("p", { class: "muted", text: "Never materialized." }));
      return;
    }
    const numeric = new Set();
    events.forEach((e) => Object.entries(e.metadata).forEach(([k, v]) => { if (typeof v === "number" && isFinite(v)) numeric.add(k); }));
    if (events.some((e) => e.duration !== null)) numeric.add("duration (s)");
    const metricNames = [...numeric];
    if (metricNames.length) {
      const choose = el("select", { id: "plot-metric", "aria-label": "Metadata value to plot" }, metricNames.map((n) => el("option", { value: n, text: n })));
      const plotBox = el("div", { id: "plot" });
      const draw = () => ag.clear(plotBox).append(plot(events, choose.value));
      choose.addEventListener("change", draw);
      historyPanel.append(el("div", { class: "controls" }, el("span", { text: "Plot " }), choose, el("span", { class: "muted", text: ` over the last ${events.length} materializations` })), plotBox);
      draw();
    }
    const latest = events[0];
    const schema = latest.metadata.column_schema;
    if (schema && typeof schema === "object") {
      historyPanel.append(el("h3", { text: "Schema (latest)" }), ag.table(["Column", "Type"], Object.entries(schema).map(([c, t]) => el("tr", {}, el("td", { class: "mono", text: c }), el("td", { class: "mono", text: typeof t === "string" ? t : JSON.stringify(t) })))));
    }
    const shown = events.slice(0, 25);
    historyPanel.append(el("h3", { text: "Latest" }), ag.table(["Time", "Partition", "Run", "Rows", "Duration", "Metadata"], shown.map((e) => {
      const other = Object.entries(e.metadata).filter(([k]) => k !== "row_count" && k !== "column_schema")
        .map(([k, v]) => el("div", { class: "metadata-entry", "data-name": k }, el("span", { class: "mono", text: `${k}: ` }), metadataValue(v)));
      return el("tr", {},
        el("td", { text: ag.fmtTime(e.timestamp) }),
        el("td", { class: "mono", text: e.partition_key || "—" }),
        el("td", {}, el("a", { href: ag.runHref(e.run_id), class: "mono", text: e.run_id.slice(0, 8) })),
        el("td", { text: e.metadata.row_count !== undefined ? String(e.metadata.row_count) : "—" }),
        el("td", { text: ag.fmtDuration(e.duration) }),
        el("td", { class: "small" }, other));
    })));
  }

  // One metadata entry as a node, by its type (MetadataValue): everything goes in as text
  // (never as HTML), so markdown shows escaped; only http(s) URLs become links.
  function metadataValue(v) {
    const typed = v !== null && typeof v === "object" && !Array.isArray(v) && typeof v.__metadata__ === "string";
    const type = typed ? v.__metadata__ : null;
    const value = typed ? v.value : v;
    const pretty = (x) => el("pre", { class: "metadata-json", text: JSON.stringify(x, null, 2) });
    if (type === "md") return el("pre", { class: "metadata-md", "data-type": "md", text: String(value) });
    if (type === "url") {
      const url = String(value);
      return /^https?:\/\//i.test(url) ? el("a", { href: url, rel: "noopener noreferrer", target: "_blank", "data-type": "url", text: url }) : el("span", { class: "mono", text: url });
    }
    if (type === "path" || type === "notebook") return el("code", { "data-type": type, text: String(value) });
    if (type === "timestamp") return el("span", { "data-type": "timestamp", text: ag.fmtTime(value) });
    if (type === "asset") return el("a", { href: ag.assetHref(String(value)), class: "key", "data-type": "asset", text: String(value) });
    if (type === "table" && value && Array.isArray(value.records)) {
      const names = value.schema && value.schema.columns ? value.schema.columns.map((c) => c.name) : [...new Set(value.records.flatMap((r) => Object.keys(r)))];
      return ag.table(names, value.records.map((r) => el("tr", {}, names.map((n) => el("td", { text: r[n] === undefined ? "" : String(r[n]) })))));
    }
    if (type === "table_schema" && value && Array.isArray(value.columns)) {
      return ag.table(["Column", "Type", "Description"], value.columns.map((c) => el("tr", {}, el("td", { class: "mono", text: c.name }), el("td", { class: "mono", text: c.type }), el("td", { text: c.description || "" }))));
    }
    if (typed) return value !== null && typeof value === "object" ? pretty(value) : el("span", { text: String(value) });
    if (value !== null && typeof value === "object") return pretty(value);
    return el("span", { class: "mono", text: value === null ? "null" : String(value) });
  }

  // A line chart of one numeric value over time, drawn as SVG (oldest left).
  function plot(events, name) {
    const NS = "http://www.w3.org/2000/svg";
    const points = events.slice().reverse()
      .map((e) => ({ t: e.timestamp, v: name === "duration (s)" ? e.duration : e.metadata[name], p: e.partition_key }))
      .filter((pt) => typeof pt.v === "number" && isFinite(pt.v));
    const W = 640, H = 180, L = 56, R = 12, T = 12, B = 28;
    const svg = document.createElementNS(NS, "svg");
    const attrs = (node, values) => { for (const [k, v] of Object.entries(values)) node.setAttribute(k, String(v)); return node; };
    attrs(svg, { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: "plot", role: "img", "aria-label": `${name} over time` });
    const add = (tag, values, text) => { const n = attrs(document.createElementNS(NS, tag), values); if (text !== undefined) n.textContent = text; svg.append(n); return n; };
    if (!points.length) return svg;
    const t0 = points[0].t, t1 = points[points.length - 1].t;
    let v0 = Math.min(...points.map((p) => p.v)), v1 = Math.max(...points.map((p) => p.v));
    if (v0 === v1) { v0 -= 1; v1 += 1; }
    const x = (t) => (t1 === t0 ? L + (W - L - R) / 2 : L + ((t - t0) / (t1 - t0)) * (W - L - R));
    const y = (v) => T + (1 - (v - v0) / (v1 - v0)) * (H - T - B);
    add("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, class: "axis" });
    add("line", { x1: L, y1: T, x2: L, y2: H - B, class: "axis" });
    const fmt = (v) => (Math.abs(v) >= 1000 ? v.toExponential(2) : +v.toFixed(3)).toString();
    add("text", { x: L - 6, y: T + 4, "text-anchor": "end", class: "tick" }, fmt(v1));
    add("text", { x: L - 6, y: H - B, "text-anchor": "end", class: "tick" }, fmt(v0));
    add("text", { x: L, y: H - 8, class: "tick" }, ag.fmtTime(t0));
    add("text", { x: W - R, y: H - 8, "text-anchor": "end", class: "tick" }, ag.fmtTime(t1));
    add("polyline", { points: points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(" "), class: "line" });
    for (const p of points) {
      const dot = add("circle", { cx: x(p.t).toFixed(1), cy: y(p.v).toFixed(1), r: 3, class: "dot" });
      const title = document.createElementNS(NS, "title");
      title.textContent = `${ag.fmtTime(p.t)}${p.p ? " [" + p.p + "]" : ""}: ${p.v}`;
      dot.append(title);
    }
    return svg;
  }

  async function refresh() {
    try {
      detail = await ag.api(ag.assetApi("assets", key));
      renderHead(detail);
      await Promise.all([renderPartitions(), renderHistory()]);
    } catch (error) {
      ag.showError(main, error);
    }
    document.body.dataset.ready = "true";
  }

  renderHead(detail);
  try {
    await Promise.all([renderPartitions(), renderHistory()]);
  } catch (error) {
    ag.showError(main, error);
  }
  document.body.dataset.ready = "true";
})();
