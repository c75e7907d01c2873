// One asset: a header with its status and Materialize (asset, partition, range or
// missing), then tabs built from the page's <section data-tab> elements (another script
// may add its own, e.g. the automation tab): the definition (metadata by type, policies),
// why, partitions (health strip; a grid for multi-partitioned assets), checks, and plots
// with the recent materializations. The open tab is in the URL (#checks).
"use strict";

(async () => {
  const { el, main } = ag;
  const key = ag.page.key;
  const head = el("div", { id: "asset-head" });
  const launchPanel = el("section", { id: "materialize", class: "panel" });
  const tab = (id, name, label) => el("section", { id, class: "panel", "data-tab": name, "data-tab-label": label });
  const overviewPanel = tab("overview", "overview", "Overview");
  const whyPanel = tab("why", "why", "Why");
  const partitionsPanel = tab("partitions", "partitions", "Partitions");
  const checksPanel = tab("checks", "checks", "Checks");
  const historyPanel = tab("history", "plots", "Plots");
  main.append(head, launchPanel, overviewPanel, whyPanel, partitionsPanel, checksPanel, historyPanel);
  ag.tabs(main, main.querySelector("#materialize"));

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
      el("h1", {}, el("span", { class: "key", text: s.key }), " ", el("span", { id: "asset-status" }, ag.badge(s.status))));
    ag.clear(overviewPanel).append(
      el("h2", { text: "Definition" }),
      s.description ? Object.assign(ag.richText(s.description), { id: "description", className: "rich description" }) : el("p", { class: "muted", text: "No description." }),
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
        el("dt", { text: "Checks" }), el("dd", {}, d.checks.length ? el("a", { href: "#checks", text: d.checks.join(", ") }) : "none defined"),
        el("dt", { text: "Freshness" }), el("dd", { id: "freshness-policy", text: d.freshness_policy || "no freshness policy" }),
        el("dt", { text: "Automation" }), el("dd", { id: "automation-policy" },
          d.automation_policy ? `policy: ${d.automation_policy}` : d.automation_condition ? "" : "none (materialized by hand, schedules or sensors)",
          d.automation_condition ? conditionTree(d.automation_condition) : ""),
        el("dt", { text: "Lineage" }), el("dd", {}, el("a", { href: `/lineage?select=${encodeURIComponent(`+${s.key}+`)}&focus=${encodeURIComponent(s.key)}`, text: "show in graph" })),
        codeReferences(d)
      ),
      ...definitionMetadata(d.metadata || {})
    );
  }

  // An automation condition as nested lists: each operator with its operands.
  function conditionTree(c) {
    return el("ul", { class: "condition-tree", id: "automation-condition" }, conditionItem(c));
  }

  function conditionItem(c) {
    return el("li", { "data-condition": c.name },
      c.label ? [el("strong", { text: c.label }), el("span", { class: "muted small mono", text: ` (${c.name})` })] : el("span", { class: "mono", text: c.name }),
      c.children.length ? el("ul", {}, c.children.map(conditionItem)) : "");
  }

  // The definition's metadata, each value rendered by its type (code references have
  // their own line above).
  function definitionMetadata(metadata) {
    const entries = Object.entries(metadata).filter(([k]) => k !== "dagster/code_references");
    if (!entries.length) return [];
    return [el("h3", { text: "Metadata" }), ag.table(["Name", "Value"], entries.map(([k, v]) =>
      el("tr", { class: "metadata-entry", "data-name": k }, el("td", { class: "mono", text: k }), el("td", {}, metadataValue(v)))))];
  }

  // Code references (with_source_code_references / link_code_references_to_git): links
  // only to http(s) URLs; local references are shown as file:line.
  function codeReferences(d) {
    const refs = ((d.metadata || {})["dagster/code_references"] || {}).code_references || [];
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
  if (!detail.summary.source) {
    const pad = (select, text, id) => el("a", { id, href: "/launchpad?" + new URLSearchParams({ select }), text });
    launchPanel.append(el("p", { class: "lp-launch-links" }, "In the launchpad (partitions, run config, preview): ",
      pad(key, "this asset", "launchpad-asset"), " · ", pad(`+${key}`, "with upstream", "launchpad-upstream"), " · ",
      pad(`${key}+`, "with downstream", "launchpad-downstream")));
  }

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

  // -- Partitions health strip: zoomable, with an axis of partition keys; a click on a
  // partition (or on a range, then on a key of it) opens its detail -------------------------
  let stripZoom = 1;
  const drill = el("div", { id: "partition-detail" });
  const stripArea = el("div", { id: "strip-area" });
  const gridArea = el("div", { id: "grid-area" });
  partitionsPanel.append(el("h2", { text: "Partitions" }), gridArea, stripArea);
  let gridSwapped = false;
  let gridObserver = null;

  // A multi-partitioned asset's partitions as a grid (rows x columns of its dimensions),
  // drawn on a canvas that only paints the cells in view, so 1,096 days x 100 regions
  // scrolls as smoothly as 7 x 3. A click opens the partition's detail.
  async function renderGrid() {
    ag.clear(gridArea);
    if (!detail.partitions_def || detail.partitions_def.kind !== "multi") return;
    const [g, styles] = await Promise.all([ag.api(ag.assetApi("partition_grid", key)), ag.api("/api/statuses")]);
    const colour = Object.fromEntries(styles.map((st) => [st.status, st.status === "missing" ? st.fill : st.stroke]));
    const [first, second] = g.dimensions;
    const rows = gridSwapped ? second : first, cols = gridSwapped ? first : second;
    const statusAt = (r, c) => {
      const [i, j] = gridSwapped ? [c, r] : [r, c];
      return g.codes[g.cells[i * second.keys.length + j]];
    };
    const keyAt = (r, c) => (gridSwapped ? `${first.keys[c]}|${second.keys[r]}` : `${first.keys[r]}|${second.keys[c]}`);
    const CELL = 16, LABEL_W = 110, HEAD_H = 70;
    const box = el("div", { class: "grid-box", id: "partition-grid", "data-rows": rows.keys.length, "data-cols": cols.keys.length, "data-cell": CELL, "data-label-width": LABEL_W, "data-head-height": HEAD_H });
    const canvas = el("canvas", { class: "grid-canvas", role: "img", "aria-label": `Partitions of ${key}: ${rows.name} by ${cols.name}` });
    const spacer = el("div", { class: "grid-spacer" });
    box.append(canvas, spacer);
    const counts = {};
    for (const ch of g.cells) counts[g.codes[ch]] = (counts[g.codes[ch]] || 0) + 1;
    gridArea.append(
      el("div", { class: "controls" },
        el("span", { class: "muted", text: `${rows.keys.length.toLocaleString("en")} ${rows.name} × ${cols.keys.length.toLocaleString("en")} ${cols.name}` }),
        el("button", { type: "button", id: "grid-swap", text: "Swap axes", onclick: () => { gridSwapped = !gridSwapped; renderGrid(); } }),
        el("span", { class: "legend" }, Object.entries(counts).map(([st, n]) => [ag.badge(st), ` ${n} `]))),
      box);
    const width = LABEL_W + cols.keys.length * CELL + 60, height = HEAD_H + rows.keys.length * CELL;
    spacer.style.width = `${width}px`;
    spacer.style.height = `${height}px`;
    const ratio = window.devicePixelRatio || 1;
    function draw() {
      const w = Math.min(box.clientWidth, width), h = Math.min(box.clientHeight, height);
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${h}px`;
      spacer.style.marginTop = `-${h}px`;
      const ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, w, h);
      const left = box.scrollLeft, top = box.scrollTop;
      const c0 = Math.floor(left / CELL), c1 = Math.min(cols.keys.length, Math.ceil((left + w - LABEL_W) / CELL));
      const r0 = Math.floor(top / CELL), r1 = Math.min(rows.keys.length, Math.ceil((top + h - HEAD_H) / CELL));
      for (let r = r0; r < r1; r += 1) {
        for (let c = c0; c < c1; c += 1) {
          ctx.fillStyle = colour[statusAt(r, c)] || "#eeeeee";
          ctx.fillRect(LABEL_W + c * CELL - left + 1, HEAD_H + r * CELL - top + 1, CELL - 2, CELL - 2);
        }
      }
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, w, HEAD_H);
      ctx.fillRect(0, 0, LABEL_W, h);
      ctx.fillStyle = "#687086";
      ctx.font = "11px ui-monospace, Menlo, Consolas, monospace";
      ctx.textBaseline = "middle";
      for (let r = r0; r < r1; r += 1) {
        const y = HEAD_H + r * CELL - top + CELL / 2;
        if (y > HEAD_H) ctx.fillText(rows.keys[r].slice(0, 15), 4, y);
      }
      for (let c = c0; c < c1; c += 1) {
        const x = LABEL_W + c * CELL - left + CELL / 2;
        if (x < LABEL_W) continue;
        ctx.save();
        ctx.translate(x, HEAD_H - 4);
        ctx.rotate(-Math.PI / 3);
        ctx.fillText(cols.keys[c].slice(0, 12), 0, 0);
        ctx.restore();
      }
    }
    function cellAt(event) {
      const rect = canvas.getBoundingClientRect();
      const x = event.clientX - rect.left, y = event.clientY - rect.top;
      if (x < LABEL_W || y < HEAD_H) return null;
      const c = Math.floor((x - LABEL_W + box.scrollLeft) / CELL), r = Math.floor((y - HEAD_H + box.scrollTop) / CELL);
      return r < rows.keys.length && c < cols.keys.length ? [r, c] : null;
    }
    let frame = 0;
    box.addEventListener("scroll", () => { if (!frame) frame = requestAnimationFrame(() => { frame = 0; draw(); }); });
    canvas.addEventListener("mousemove", (event) => {
      const at = cellAt(event);
      canvas.title = at ? `${keyAt(...at)}: ${statusAt(...at)}` : "";
      canvas.style.cursor = at ? "pointer" : "default";
    });
    canvas.addEventListener("click", (event) => {
      const at = cellAt(event);
      if (at) { partitionInput.value = keyAt(...at); showPartition(keyAt(...at)); }
    });
    if (gridObserver) gridObserver.disconnect();
    gridObserver = new ResizeObserver(() => draw()); // a hidden tab shown, a window resized
    gridObserver.observe(box);
    draw();
  }

  async function renderPartitions() {
    await renderGrid();
    await renderStrip();
  }

  async function renderStrip() {
    ag.clear(stripArea);
    if (!partitioned) {
      stripArea.append(el("p", { class: "muted", text: "Not partitioned." }), drill);
      await showPartition(null);
      return;
    }
    const p = await ag.api(ag.assetApi("partitions", key));
    const strip = el("div", { class: "strip", id: "strip", role: "list" });
    const minShare = p.ranges.length > 200 ? 0 : 0.4;
    let before = 0;
    const starts = [];
    for (const r of p.ranges) {
      starts.push(before);
      before += r.count;
      const label = r.count === 1 ? r.first : `${r.first} … ${r.last}`;
      const segment = el("button", {
        type: "button", role: "listitem",
        class: `seg st-${r.status}`, "data-status": r.status, "data-first": r.first, "data-last": r.last,
        title: `${label}: ${r.status} (${r.count})`,
        onclick: () => {
          partitionInput.value = r.first; rangeFirst.value = r.first; rangeLast.value = r.last;
          showPartition(r.first, r);
        },
      });
      segment.style.flexGrow = String(Math.max(r.count / p.total * 100, minShare));
      strip.append(segment);
    }
    strip.style.width = `${100 * stripZoom}%`;
    // The axis: the first key of the range at each fifth of the strip (by partition count).
    const axis = el("div", { class: "strip-axis", id: "strip-axis", style: `width:${100 * stripZoom}%` });
    const ticks = Math.min(p.ranges.length, 2 + 4 * stripZoom, 400);
    for (let i = 0; i < ticks; i += 1) {
      const wanted = (p.total * i) / Math.max(1, ticks - 1);
      let at = 0;
      while (at + 1 < p.ranges.length && starts[at + 1] <= wanted) at += 1;
      const r = p.ranges[at];
      const last = i === ticks - 1;
      axis.append(el("span", { class: "strip-tick", style: `left:${(100 * (last ? p.total : starts[at])) / p.total}%`, text: last ? r.last : r.first }));
    }
    const zoomStrip = (factor) => { stripZoom = Math.min(256, Math.max(1, stripZoom * factor)); renderStrip(); };
    const counts = {};
    p.ranges.forEach((r) => (counts[r.status] = (counts[r.status] || 0) + r.count));
    const inspect = el("input", { id: "inspect-partition", placeholder: "partition key", "aria-label": "Partition to inspect" });
    stripArea.append(
      gridArea.firstChild ? el("h3", { text: "In key order" }) : "",
      el("div", { class: "controls" },
        el("button", { id: "strip-zoom-out", type: "button", "aria-label": "Zoom out", text: "−", onclick: () => zoomStrip(0.5) }),
        el("span", { class: "muted small", id: "strip-zoom", text: `${stripZoom}×` }),
        el("button", { id: "strip-zoom-in", type: "button", "aria-label": "Zoom in", text: "+", onclick: () => zoomStrip(4) }),
        el("form", { class: "controls inline", onsubmit: (event) => { event.preventDefault(); showPartition(inspect.value.trim()); } },
          inspect, el("button", { id: "inspect", type: "submit", text: "Inspect" }))),
      el("div", { class: "strip-box" }, strip, axis),
      el("p", { class: "legend" }, Object.entries(counts).map(([s, n]) => [ag.badge(s), ` ${n} `])),
      drill,
      el("details", { open: p.ranges.length <= 12 },
        el("summary", { text: `${p.ranges.length} ranges of ${p.total} partitions` }),
        ag.table(["Status", "First", "Last", "Count"], p.ranges.map((r) =>
          el("tr", { "data-status": r.status, "data-first": r.first },
            el("td", {}, ag.badge(r.status)),
            el("td", {}, el("a", { href: "#partition-detail", class: "mono", text: r.first, onclick: () => showPartition(r.first, r) })),
            el("td", {}, el("a", { href: "#partition-detail", class: "mono", text: r.last, onclick: () => showPartition(r.last, r) })),
            el("td", { text: r.count }))))
      )
    );
  }

  async function showPartition(partition, range) {
    if (partition === "") return;
    let d;
    try {
      d = await ag.api(ag.assetApi("partition", key) + (partition === null ? "" : `?partition=${encodeURIComponent(partition)}`));
    } catch (error) {
      ag.clear(drill);
      ag.showError(drill, error);
      return;
    }
    const runLink = (id) => (id ? el("a", { href: ag.runHref(id), class: "mono", text: id.slice(0, 8) }) : "—");
    ag.clear(drill).append(el("div", { class: "panel inner", "data-partition": d.partition_key || "", "data-status": d.status },
      el("h3", {}, d.partition_key ? el("span", { class: "mono", text: d.partition_key }) : "This asset", " ", ag.badge(d.status),
        range && range.count > 1 ? el("span", { class: "muted small", text: ` first of ${range.count} ${range.status} partitions (${range.first} … ${range.last})` }) : ""),
      el("dl", { class: "facts" },
        el("dt", { text: "Materialized" }), el("dd", {}, d.materialized_at ? [ag.fmtTime(d.materialized_at), " in run ", runLink(d.materialization_run_id)] : "never"),
        el("dt", { text: "Data version" }), el("dd", { class: "mono", id: "partition-data-version", text: d.data_version || "—" }),
        el("dt", { text: "Code version" }), el("dd", { class: "mono", text: d.code_version || "—" }),
        el("dt", { text: "Duration" }), el("dd", { text: ag.fmtDuration(d.duration) }),
        d.stale_causes.length ? [el("dt", { text: "Stale because" }), el("dd", {}, d.stale_causes.map((c) => el("div", { text: c })))] : [],
        d.failed_at ? [el("dt", { text: d.status === "failed" ? "Failing since" : "Last failure" }), el("dd", {}, ag.fmtTime(d.failed_at), " in run ", runLink(d.failure_run_id))] : [],
        d.metadata ? [el("dt", { text: "Metadata" }), el("dd", {}, Object.entries(d.metadata).map(([k, v]) => el("div", { class: "metadata-entry", "data-name": k }, el("span", { class: "mono", text: `${k}: ` }), metadataValue(v))))] : []
      ),
      d.error ? el("pre", { class: "error", id: "partition-error", text: d.error }) : ""));
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
      const partitionedEvents = events.some((e) => e.partition_key);
      const over = el("select", { id: "plot-over", "aria-label": "Plot over" },
        el("option", { value: "time", text: "over time" }),
        partitionedEvents ? el("option", { value: "partition", text: "over partition" }) : null);
      // A backfill writes many partitions at nearly one instant: plot those over partition.
      const instants = new Set(events.map((e) => Math.round(e.timestamp / 60))).size;
      if (partitionedEvents && instants < new Set(events.map((e) => e.partition_key)).size) over.value = "partition";
      const draw = () => ag.clear(plotBox).append(plot(events, choose.value, over.value));
      choose.addEventListener("change", draw);
      over.addEventListener("change", draw);
      historyPanel.append(el("div", { class: "controls" }, el("span", { text: "Plot " }), choose, over, el("span", { class: "muted", text: ` (last ${events.length} materializations)` })), plotBox);
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
        el("td", { class: "nowrap", text: ag.fmtTime(e.timestamp) }),
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
    const pretty = (x) => {
      const text = JSON.stringify(x, null, 2);
      const block = el("pre", { class: "metadata-json", "data-type": "json", text });
      return text.split("\n").length > 12 ? el("details", {}, el("summary", { text: `JSON (${text.split("\n").length} lines)` }), block) : block;
    };
    if (type === "md") {
      const box = ag.richText(String(value));
      box.className = "rich metadata-md";
      box.dataset.type = "md";
      return box;
    }
    if (type === "url") {
      const url = String(value);
      return /^https?:\/\//i.test(url) ? el("a", { href: url, rel: "noopener noreferrer", target: "_blank", "data-type": "url", text: url }) : el("span", { class: "mono", text: url });
    }
    if (type === "path" || type === "notebook") return el("code", { "data-type": type, title: type, text: String(value) });
    if (type === "dagster_run") return el("a", { href: ag.runHref(String(value)), class: "mono", "data-type": "run", text: String(value).slice(0, 8) });
    if (type === "int" || type === "float" || (!typed && typeof value === "number")) {
      return el("span", { class: "mono number", "data-type": type || (Number.isInteger(value) ? "int" : "float"), title: String(value), text: typeof value === "number" ? value.toLocaleString("en", { maximumFractionDigits: 6 }) : String(value) });
    }
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

  // "Nice" axis bounds and ticks around [lo, hi]: one value v gets an axis around it
  // (0..2v for a positive v), never a meaningless -0.989..1.011.
  function niceScale(lo, hi) {
    if (lo === hi) {
      if (lo === 0) { lo = -1; hi = 1; } else if (lo > 0) { hi = lo * 2; lo = 0; } else { lo *= 2; hi = 0; }
    }
    const raw = (hi - lo) / 4;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((st) => st >= raw) || 10 * mag;
    const first = Math.floor(lo / step) * step, last = Math.ceil(hi / step) * step;
    const ticks = [];
    for (let v = first; v <= last + step / 2; v += step) ticks.push(+v.toPrecision(12));
    return { lo: first, hi: last, ticks };
  }

  // A line chart of one numeric value, drawn as SVG: over time (oldest left), or over
  // partition key (the latest value of each partition, in key order) so a backfill's
  // points do not stack on one instant.
  function plot(events, name, by) {
    const NS = "http://www.w3.org/2000/svg";
    let points = events.slice().reverse()
      .map((e) => ({ t: e.timestamp, v: name === "duration (s)" ? e.duration : e.metadata[name], p: e.partition_key }))
      .filter((pt) => typeof pt.v === "number" && isFinite(pt.v));
    if (by === "partition") {
      const latest = new Map();
      points.filter((pt) => pt.p).forEach((pt) => latest.set(pt.p, pt));
      points = [...latest.values()].sort((a, b) => (a.p < b.p ? -1 : a.p > b.p ? 1 : 0));
    }
    const W = 640, H = 190, L = 64, R = 16, T = 12, B = 34;
    const svg = document.createElementNS(NS, "svg");
    const attrs = (node, values) => { for (const [k, v] of Object.entries(values)) node.setAttribute(k, String(v)); return node; };
    attrs(svg, { viewBox: `0 0 ${W} ${H}`, class: "plot", role: "img", "aria-label": `${name} over ${by}`, "data-points": points.length });
    const add = (tag, values, text) => { const n = attrs(document.createElementNS(NS, tag), values); if (text !== undefined) n.textContent = text; svg.append(n); return n; };
    if (!points.length) {
      add("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "tick" }, "No values to plot.");
      return svg;
    }
    const n = points.length;
    const pos = by === "partition" ? points.map((_, i) => i) : points.map((pt) => pt.t);
    const x0 = pos[0], x1 = pos[n - 1];
    const x = (i) => (x1 === x0 ? L + (W - L - R) / 2 : L + ((pos[i] - x0) / (x1 - x0)) * (W - L - R));
    const scale = niceScale(Math.min(...points.map((pt) => pt.v)), Math.max(...points.map((pt) => pt.v)));
    const y = (v) => T + (1 - (v - scale.lo) / (scale.hi - scale.lo)) * (H - T - B);
    const fmt = (v) => (Math.abs(v) >= 1e6 ? v.toExponential(2) : String(+v.toPrecision(6)));
    for (const tick of scale.ticks) {
      add("line", { x1: L, y1: y(tick).toFixed(1), x2: W - R, y2: y(tick).toFixed(1), class: "grid" });
      add("text", { x: L - 6, y: (y(tick) + 4).toFixed(1), "text-anchor": "end", class: "tick" }, fmt(tick));
    }
    add("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, class: "axis" });
    add("line", { x1: L, y1: T, x2: L, y2: H - B, class: "axis" });
    const label = (i) => (by === "partition" ? points[i].p : ag.fmtTime(points[i].t, { zone: false }));
    if (n === 1) add("text", { x: x(0), y: H - 16, "text-anchor": "middle", class: "tick" }, label(0));
    else {
      add("text", { x: L, y: H - 16, class: "tick" }, label(0));
      add("text", { x: W - R, y: H - 16, "text-anchor": "end", class: "tick" }, label(n - 1));
    }
    add("text", { x: W - R, y: H - 2, "text-anchor": "end", class: "tick" }, by === "partition" ? "partition" : `time (${ag.zoneName()})`);
    if (n > 1) add("polyline", { points: points.map((pt, i) => `${x(i).toFixed(1)},${y(pt.v).toFixed(1)}`).join(" "), class: "line" });
    points.forEach((pt, i) => {
      const dot = add("circle", { cx: x(i).toFixed(1), cy: y(pt.v).toFixed(1), r: n === 1 ? 4 : 3, class: "dot" });
      const title = document.createElementNS(NS, "title");
      title.textContent = `${ag.fmtTime(pt.t)}${pt.p ? " [" + pt.p + "]" : ""}: ${pt.v}`;
      dot.append(title);
    });
    return svg;
  }

  // -- Why: stale causes and root causes, missing partitions, last failure, freshness --------
  async function renderWhy() {
    const w = await ag.api(ag.assetApi("why", key));
    ag.clear(whyPanel).append(el("h2", { text: "Why " + detail.summary.status }));
    const link = (k) => el("a", { href: ag.assetHref(k), class: "key", text: k });
    const items = [];
    if (w.status === "fresh" && !w.last_failure) items.push(el("li", { text: "Up to date: every partition is materialized from the current code and upstream data." }));
    if (w.missing_count) items.push(el("li", { class: "why-missing" }, `${w.missing_count} partition${w.missing_count === 1 ? "" : "s"} missing`, w.missing.length ? el("span", { class: "mono small", text: ": " + w.missing.join(", ") + (w.missing.length === 50 ? ", …" : "") }) : ""));
    for (const c of w.causes) {
      items.push(el("li", { class: "why-cause", "data-cause": c.cause }, c.text, c.upstream ? [" ", el("a", { href: ag.assetHref(c.upstream), class: "small", text: `open ${c.upstream}` })] : ""));
    }
    if (w.root_causes.length && w.root_causes.some((r) => !r.startsWith(w.key + ":") && !r.startsWith(w.key + "["))) {
      items.push(el("li", { class: "why-roots" }, el("strong", { text: "Root causes: " }), w.root_causes.join("; "), " ", w.root_assets.map((k) => [link(k), " "])));
    }
    if (w.last_failure) {
      const f = w.last_failure;
      items.push(el("li", { class: "why-failure", id: "last-failure" },
        el("strong", { text: f.latest_attempt_failed ? "Failing: " : "Last failure: " }),
        f.partition_key ? el("span", { class: "mono", text: `[${f.partition_key}] ` }) : "",
        `at ${ag.fmtTime(f.timestamp)} in run `, el("a", { href: ag.runHref(f.run_id), class: "mono", text: f.run_id.slice(0, 8) }),
        f.error ? el("details", {}, el("summary", { text: firstLine(f.error) }), el("pre", { class: "error", text: f.error })) : ""));
    }
    if (w.freshness) {
      const fr = w.freshness;
      items.push(el("li", { class: fr.violated ? "why-freshness error" : "why-freshness", id: "freshness" }, el("strong", { text: fr.violated ? "Freshness violated: " : "Freshness: " }), fr.text));
    }
    whyPanel.append(el("ul", { class: "why" }, items));
  }

  function firstLine(text) {
    const lines = String(text).trim().split("\n").filter((l) => l.trim());
    return lines.length ? lines[lines.length - 1].slice(0, 200) : "";
  }

  // -- Checks: each check, blocking or not, the latest result per partition, history -------
  async function renderChecks() {
    const c = await ag.api(ag.assetApi("checks", key));
    ag.clear(checksPanel).append(el("h2", { text: `Checks (${c.checks.length})` }));
    if (!c.checks.length) {
      checksPanel.append(el("p", { class: "muted", text: "No checks defined for this asset." }));
      return;
    }
    const label = { passed: "passed", failed: "failed", warning: "warning", not_evaluated: "not evaluated" };
    for (const check of c.checks) {
      const badgeClass = { passed: "run-success", failed: "run-failure", warning: "run-canceled", not_evaluated: "run-queued" }[check.status];
      const box = el("div", { class: "check", "data-check": check.name, "data-status": check.status },
        el("h3", {}, el("span", { class: "mono", text: check.name }), " ", el("span", { class: `badge ${badgeClass}`, text: label[check.status] }), " ",
          el("span", { class: "badge", text: check.blocking ? "blocking" : "non-blocking" }), check.defined ? "" : el("span", { class: "muted small", text: " (not in the code location)" })),
        check.description ? ag.richText(check.description) : "",
        check.evaluated_partitions > 1 || (check.latest[0] && check.latest[0].partition_key)
          ? el("p", { class: "small muted", text: `${check.failing_partitions} of ${check.evaluated_partitions} evaluated partitions failing` }) : "");
      if (check.latest.some((l) => l.partition_key)) {
        box.append(el("details", { open: check.failing_partitions > 0 && check.failing_partitions <= 20 },
          el("summary", { text: "Latest result per partition" }),
          ag.table(["Partition", "Result", "Run", "Time", "Description"], check.latest.map((l) => el("tr", { "data-partition": l.partition_key || "", "data-passed": String(l.passed) },
            el("td", { class: "mono", text: l.partition_key || "—" }), el("td", {}, el("span", { class: `badge ${l.passed ? "run-success" : "run-failure"}`, text: l.passed ? "passed" : `failed (${l.severity})` })),
            el("td", {}, el("a", { href: ag.runHref(l.run_id), class: "mono", text: l.run_id.slice(0, 8) })), el("td", { class: "nowrap", text: ag.fmtTime(l.timestamp) }), el("td", { text: l.description || "" }))))));
      }
      if (check.history.length) {
        box.append(el("details", { class: "check-history" }, el("summary", { text: `History (latest ${check.history.length})` }),
          ag.table(["Time", "Partitions", "Result", "Run", "Metadata"], check.history.map((h) => el("tr", {},
            el("td", { class: "nowrap", text: ag.fmtTime(h.timestamp) }),
            el("td", { class: "mono", text: h.partition_keys.length > 3 ? `${h.partition_keys[0]} … ${h.partition_keys[h.partition_keys.length - 1]} (${h.partition_keys.length})` : h.partition_keys.join(", ") || "—" }),
            el("td", {}, el("span", { class: `badge ${h.passed ? "run-success" : "run-failure"}`, text: h.passed ? "passed" : `failed (${h.severity})` }), h.error ? el("div", { class: "error small", text: h.error }) : ""),
            el("td", {}, el("a", { href: ag.runHref(h.run_id), class: "mono", text: h.run_id.slice(0, 8) })),
            el("td", { class: "small" }, Object.entries(h.metadata).map(([k, v]) => el("div", { class: "metadata-entry", "data-name": k }, el("span", { class: "mono", text: `${k}: ` }), metadataValue(v)))))))));
      }
      checksPanel.append(box);
    }
  }

  async function refresh() {
    try {
      detail = await ag.api(ag.assetApi("assets", key));
      renderHead(detail);
      await Promise.all([renderWhy(), renderChecks(), renderPartitions(), renderHistory(), agAssetAutomation.render(main, key)]);
    } catch (error) {
      ag.showError(main, error);
    }
    document.body.dataset.ready = "true";
  }

  renderHead(detail);
  try {
    await Promise.all([renderWhy(), renderChecks(), renderPartitions(), renderHistory(), agAssetAutomation.render(main, key)]);
  } catch (error) {
    ag.showError(main, error);
  }
  document.body.dataset.ready = "true";
})();
