// The lineage graph: cytoscape.js with the dagre layout (vendored under /static/vendor).
// Groups are compound nodes; each asset shows its status, last materialization, partition
// counts and check state. A selection typed in the CLI's --select language limits the
// graph (kept in the URL); edges between groups are routed around the group boxes; the
// statuses refresh live (the page polls /api/version) without moving the view.
"use strict";

(async () => {
  const { el, main } = ag;
  main.classList.add("wide");
  main.append(el("h1", { text: "Lineage" }));
  const params = new URLSearchParams(location.search);
  let selection = (params.get("select") || "").trim();

  const selectInput = el("input", {
    id: "select", type: "search", value: selection, placeholder: "Selection, e.g. +revenue group:sales tag:tier=gold",
    "aria-label": "Selection (as the CLI's --select)", spellcheck: "false",
  });
  const selectForm = el("form", { class: "controls inline", id: "select-form" }, selectInput,
    el("button", { type: "submit", id: "select-apply", text: "Select" }),
    el("button", { type: "button", id: "select-clear", text: "All", onclick: () => { selectInput.value = ""; applySelection(); } }));
  const launch = el("a", { id: "materialize-selection", class: "button", text: "Materialize selection…" });
  const selectError = el("p", { class: "error", id: "select-error", role: "alert" });
  const find = el("input", { id: "find", type: "search", placeholder: "Find an asset (Enter)", "aria-label": "Find an asset", list: "lineage-keys" });
  const keys = el("datalist", { id: "lineage-keys" });
  const fit = el("button", { type: "button", text: "Fit" });
  const zoomIn = el("button", { type: "button", text: "+", "aria-label": "Zoom in" });
  const zoomOut = el("button", { type: "button", text: "−", "aria-label": "Zoom out" });
  const live = el("input", { type: "checkbox", id: "live", checked: true });
  const info = el("span", { class: "muted", id: "lineage-info" });
  const legend = el("span", { class: "legend" });
  const container = el("div", { id: "graph", role: "img", "aria-label": "Asset lineage graph" });
  main.append(
    el("div", { class: "controls" }, selectForm, launch),
    selectError,
    el("div", { class: "controls" }, find, keys, fit, zoomIn, zoomOut, el("label", { class: "small" }, live, " live"), legend, info),
    el("p", { class: "muted small", text: "Shift+click assets to add them to the selection." }),
    container
  );

  let data = null;
  let cy = null;
  let colours = {};

  // Shift+click adds an asset to the selection box (or takes it out), ready for Select or
  // Materialize selection.
  function togglePicked(key) {
    const terms = selectInput.value.trim().split(/\s+/).filter(Boolean);
    const kept = terms.filter((t) => t !== key);
    selectInput.value = (kept.length === terms.length ? [...terms, key] : kept).join(" ");
    setLaunchLink();
  }

  // The launchpad opens on what the box holds (typed, even before Select).
  function setLaunchLink() {
    const typed = selectInput.value.trim();
    launch.href = `/launchpad?select=${encodeURIComponent(typed || "*")}`;
    launch.title = `Open the launchpad with ${typed ? `'${typed}'` : "every asset"}`;
  }

  // The label of an asset: its key, then status and age, partitions, checks.
  function labelOf(node, now) {
    const lines = [node.key, `${node.status} · ${ag.fmtAgo(node.last_materialized_at, now)}`];
    const p = node.partitions;
    if (p) {
      const parts = [`${p.materialized.toLocaleString("en")}/${p.total.toLocaleString("en")} partitions`];
      if (p.failed) parts.push(`${p.failed.toLocaleString("en")} failed`);
      if (p.missing) parts.push(`${p.missing.toLocaleString("en")} missing`);
      lines.push(parts.join(" · "));
    }
    const c = node.checks;
    if (c) {
      lines.push(c.status === "not_evaluated" ? `checks: ${c.total} not run` : `checks: ${c.passed}/${c.total} passed${c.failed ? `, ${c.failed} failed` : ""}`);
    }
    return lines.join("\n");
  }

  function nodeData(node, now) {
    const colour = colours[node.status] || { fill: "#eeeeee", stroke: "#757575" };
    const lines = 2 + (node.partitions ? 1 : 0) + (node.checks ? 1 : 0);
    return {
      label: labelOf(node, now), status: node.status, fill: colour.fill, stroke: colour.stroke,
      h: 12 + lines * 14, checks: node.checks ? node.checks.status : "none",
    };
  }

  async function load() {
    const query = selection ? `?select=${encodeURIComponent(selection)}` : "";
    return ag.api(`/api/lineage${query}`);
  }

  function build() {
    colours = Object.fromEntries(data.statuses.map((s) => [s.status, s]));
    ag.clear(legend).append(...data.statuses.map((s) => ag.badge(s.status)));
    ag.clear(keys).append(...data.nodes.slice(0, 5000).map((n) => el("option", { value: n.key })));
    const now = Date.now() / 1000;
    const big = data.nodes.length > 300;
    const groupOf = new Map(data.nodes.map((n) => [n.key, n.group]));
    const grouped = data.groups.length > 1;
    const elements = [];
    if (grouped) {
      for (const group of data.groups) elements.push({ group: "nodes", data: { id: `group:${group}`, label: group, isGroup: true } });
    }
    for (const node of data.nodes) {
      elements.push({
        group: "nodes",
        data: Object.assign({ id: node.key, key: node.key, parent: grouped ? `group:${node.group}` : undefined, group: node.group, shape: node.partitioned ? "round-rectangle" : "rectangle" }, nodeData(node, now)),
      });
    }
    data.edges.forEach((edge, i) => {
      const cross = grouped && groupOf.get(edge.source) !== groupOf.get(edge.target);
      elements.push({ group: "edges", classes: cross ? "cross" : "", data: { id: `e${i}`, source: edge.source, target: edge.target, mapping: edge.partition_mapping || "" } });
    });
    if (cy) cy.destroy();
    // Built headless and mounted once laid out: a renderer attached from the start costs
    // about ten times as much to create (and repaints during the layout).
    cy = cytoscape({
      headless: true, styleEnabled: true, elements, minZoom: 0.02, maxZoom: 4,
      textureOnViewport: big, hideEdgesOnViewport: big, pixelRatio: big ? 1 : "auto", boxSelectionEnabled: false,
      style: [
        {
          selector: "node",
          style: {
            shape: "data(shape)", width: 210, height: "data(h)",
            "background-color": "data(fill)", "border-color": "data(stroke)", "border-width": 2,
            label: "data(label)", "font-size": 11, "text-valign": "center", "text-halign": "center",
            "text-wrap": "wrap", "text-max-width": 200, "line-height": 1.25, "min-zoomed-font-size": 6,
          },
        },
        { selector: "node[checks = 'failed']", style: { "border-style": "double", "border-width": 5, "border-color": "#c62828" } },
        {
          selector: "node[?isGroup]",
          style: {
            shape: "round-rectangle", "background-color": "#f5f7fb", "background-opacity": 0.7,
            "border-color": "#9aa7bd", "border-width": 1, "border-style": "dashed",
            label: "data(label)", "text-valign": "top", "text-halign": "center", "font-size": 16,
            "font-weight": "bold", color: "#44516b", padding: 18, "min-zoomed-font-size": 4,
          },
        },
        { selector: "node:selected", style: { "border-width": 4, "border-color": "#1f4fd1" } },
        {
          selector: "edge",
          style: {
            width: 1.5, "line-color": "#9aa0a6", "target-arrow-color": "#9aa0a6",
            "target-arrow-shape": "triangle", "curve-style": big ? "straight" : "bezier", "arrow-scale": 0.9,
          },
        },
        {
          selector: "edge.routed",
          style: { "curve-style": "segments", "edge-distances": "node-position", "segment-weights": "data(weights)", "segment-distances": "data(distances)", "segment-radius": 8 },
        },
        { selector: "edge.cross", style: { opacity: 0.6 } },
        { selector: "edge.near", style: { "line-color": "#1f4fd1", "target-arrow-color": "#1f4fd1", width: 2.5, opacity: 1 } },
      ],
    });
    cy.on("zoom", scaleGroupLabels);
    cy.on("tap", "node", (event) => {
      const node = event.target;
      if (node.data("isGroup")) return;
      if (event.originalEvent && event.originalEvent.shiftKey) togglePicked(node.id());
      else location.href = ag.assetHref(node.id());
    });
    cy.on("mouseover", "node", (event) => {
      const node = event.target;
      container.title = node.data("isGroup") ? `group ${node.data("label")}` : node.data("label");
      node.connectedEdges().addClass("near");
    });
    cy.on("mouseout", "node", (event) => {
      event.target.connectedEdges().removeClass("near");
      container.title = "";
    });
    return groupOf;
  }

  // Two-level layout, because dagre on one compound graph of 1,000 nodes takes minutes:
  // 1. lay out each group's assets (and the edges between them) on its own;
  // 2. lay out the groups as boxes of those sizes, joined where any of their assets are;
  // 3. move each group's assets into its box, then route the edges between groups
  //    around the boxes. With one group this is a single dagre layout.
  function runLayout(eles, options) {
    return new Promise((resolve) => {
      const run = eles.layout(Object.assign({ name: "dagre", rankDir: "LR", animate: false, fit: false }, options));
      run.one("layoutstop", resolve);
      run.run();
    });
  }

  // The layout depends only on the graph's shape, so it is kept in the browser
  // (localStorage, per selection) and reused while the shape is the same: a second visit
  // skips dagre.
  const LAYOUT_KEY = "assetgraph.lineage.layout";
  let layoutFrom = null;
  function shapeOf() {
    const text = JSON.stringify([data.nodes.map((n) => [n.key, n.group, cy.getElementById(n.key).data("h")]), data.edges.map((e) => [e.source, e.target])]);
    let hash = 2166136261;
    for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
    return `${text.length}:${hash >>> 0}`;
  }

  function cachedPositions(shape) {
    try {
      const saved = JSON.parse(window.localStorage.getItem(`${LAYOUT_KEY}:${selection}`) || "null");
      return saved && saved.shape === shape ? saved.positions : null;
    } catch (_) {
      return null;
    }
  }

  function savePositions(shape) {
    const positions = {};
    cy.nodes("[!isGroup]").forEach((n) => { positions[n.id()] = [n.position("x"), n.position("y")]; });
    try {
      window.localStorage.setItem(`${LAYOUT_KEY}:${selection}`, JSON.stringify({ shape, positions }));
    } catch (_) {
      // Storage full or off: the next visit lays out again.
    }
  }

  async function layout(groupOf) {
    const started = performance.now();
    const shape = shapeOf();
    const cached = cachedPositions(shape);
    if (cached) {
      cy.batch(() => cy.nodes("[!isGroup]").positions((n) => ({ x: cached[n.id()][0], y: cached[n.id()][1] })));
      layoutFrom = "cache";
    } else {
      await dagreLayout(groupOf);
      layoutFrom = "dagre";
      savePositions(shape);
    }
    cy.mount(container);
    if (data.groups.length > 1) routeCrossEdges(); // needs the group labels' sizes: mounted
    cy.fit(undefined, 20);
    if (cy.zoom() > 1.1) {
      cy.zoom(1.1); // a small graph stays at reading size rather than blown up
      cy.center();
    }
    scaleGroupLabels();
    return performance.now() - started;
  }

  async function dagreLayout(groupOf) {
    const assets = cy.nodes("[!isGroup]");
    const byGroup = new Map(data.groups.map((g) => [g, cy.collection()]));
    assets.forEach((n) => byGroup.set(n.data("group"), byGroup.get(n.data("group")).union(n)));
    const boxes = new Map();
    for (const [group, members] of byGroup) {
      if (members.empty()) continue;
      await runLayout(members.union(members.edgesWith(members)), { nodeSep: 14, rankSep: 70, edgeSep: 8 });
      boxes.set(group, members.boundingBox({ includeLabels: false }));
    }
    if (boxes.size > 1) {
      const links = new Set();
      data.edges.forEach((e) => {
        const from = groupOf.get(e.source), to = groupOf.get(e.target);
        if (from !== to) links.add(JSON.stringify([from, to]));
      });
      const meta = cytoscape({
        headless: true,
        styleEnabled: true,
        style: [{ selector: "node", style: { shape: "rectangle", width: "data(w)", height: "data(h)" } }],
        elements: [...boxes].map(([g, bb]) => ({ data: { id: g, w: bb.w + 60, h: bb.h + 90 } })).concat(
          [...links].map((pair, i) => { const [source, target] = JSON.parse(pair); return { data: { id: `m${i}`, source, target } }; })
        ),
      });
      await runLayout(meta.elements(), { nodeSep: 40, rankSep: 160 });
      cy.batch(() => {
        for (const [group, bb] of boxes) {
          const at = meta.getElementById(group).position();
          const dx = at.x - (bb.x1 + bb.w / 2), dy = at.y - (bb.y1 + bb.h / 2);
          byGroup.get(group).positions((n) => ({ x: n.position("x") + dx, y: n.position("y") + dy }));
        }
      });
      meta.destroy();
    }
  }

  // Edges between groups leave their group sideways into the free channel between two
  // columns of boxes, run along a corridor no box crosses, and enter the target's group
  // from the channel beside it, so no edge cuts across a group box.
  function routeCrossEdges() {
    const MARGIN = 24;
    const boxes = new Map();
    cy.nodes("[?isGroup]").forEach((g) => boxes.set(g.data("label"), g.boundingBox({ includeLabels: true })));
    // Columns: groups whose boxes overlap horizontally (dagre's ranks), left to right.
    const columns = [];
    for (const [group, bb] of [...boxes].sort((a, b) => a[1].x1 - b[1].x1)) {
      const last = columns[columns.length - 1];
      if (last && bb.x1 < last.x2) { last.x2 = Math.max(last.x2, bb.x2); last.boxes.push(bb); last.groups.add(group); }
      else columns.push({ x1: bb.x1, x2: bb.x2, boxes: [bb], groups: new Set([group]) });
    }
    const columnOf = (group) => columns.findIndex((c) => c.groups.has(group));
    // The x of the channel right of column i (-1: left of the first).
    const channel = (i) => {
      if (i < 0) return columns[0].x1 - 40;
      if (i >= columns.length - 1) return columns[columns.length - 1].x2 + 40;
      return (columns[i].x2 + columns[i + 1].x1) / 2;
    };
    const used = new Map();
    const spread = (name, value) => {
      const n = used.get(name) || 0;
      used.set(name, n + 1);
      return value + (((n % 7) - 3) * 5);
    };
    // A y free of every box of columns lo..hi, as near to `wanted` as can be.
    function corridor(lo, hi, wanted) {
      const blocked = [];
      for (let i = lo; i <= hi; i += 1) columns[i].boxes.forEach((bb) => blocked.push([bb.y1 - MARGIN, bb.y2 + MARGIN]));
      const free = (y) => blocked.every(([a, b]) => y <= a || y >= b);
      const candidates = [wanted, ...blocked.flat()].filter(free);
      return candidates.reduce((best, y) => (Math.abs(y - wanted) < Math.abs(best - wanted) ? y : best));
    }
    cy.batch(() => cy.edges(".cross").forEach((edge) => {
      const s = edge.source().position(), t = edge.target().position();
      const i = columnOf(edge.source().data("group")), j = columnOf(edge.target().data("group"));
      let out, into, lo, hi;
      if (j > i) { out = i; into = j - 1; lo = i + 1; hi = j - 1; } // forwards: right, then in from the left
      else if (j < i) { out = i - 1; into = j; lo = j + 1; hi = i - 1; } // backwards: left, then in from the right
      else { out = i; into = i; lo = 1; hi = 0; } // the same column: out and in on the right
      const xOut = spread(`c${out}`, channel(out));
      const xIn = out === into ? xOut : spread(`c${into}`, channel(into));
      const points = [[xOut, s.y]];
      if (lo <= hi) {
        const y = spread(`r${lo}:${hi}`, corridor(lo, hi, (s.y + t.y) / 2));
        points.push([xOut, y], [xIn, y]);
      }
      points.push([xIn, t.y]);
      const dx = t.x - s.x, dy = t.y - s.y, length2 = dx * dx + dy * dy || 1;
      const length = Math.sqrt(length2);
      edge.data("weights", points.map(([x, y]) => ((x - s.x) * dx + (y - s.y) * dy) / length2));
      edge.data("distances", points.map(([x, y]) => ((y - s.y) * dx - (x - s.x) * dy) / length));
      edge.addClass("routed");
    }));
  }

  // Group names stay readable (about 13 px on screen) however far out one zooms.
  function scaleGroupLabels() {
    cy.nodes("[?isGroup]").style("font-size", Math.max(16, 13 / cy.zoom()));
  }

  function focus(key) {
    const node = cy.getElementById(key);
    if (node.empty()) return false;
    cy.elements().unselect();
    cy.edges().removeClass("near");
    node.select();
    node.connectedEdges().addClass("near");
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1) }, { duration: 250 });
    return true;
  }

  async function render() {
    const started = performance.now();
    const groupOf = build();
    const built = performance.now();
    info.textContent = `${data.nodes.length} assets in ${data.groups.length} groups — laying out…`;
    const elapsed = await layout(groupOf);
    info.textContent = `${data.nodes.length} assets in ${data.groups.length} groups — layout ${Math.round(elapsed)} ms. Scroll to zoom, drag to pan, click an asset to open it.`;
    window.agLineage = { cy, layoutMs: elapsed, layoutFrom, buildMs: built - started, version: data.version, selection };
  }

  async function applySelection() {
    const wanted = selectInput.value.trim();
    if (wanted) {
      const checked = await ag.api(`/api/select?select=${encodeURIComponent(wanted)}`);
      if (checked.error) {
        selectError.textContent = checked.error;
        return;
      }
    }
    const found = await ag.api(wanted ? `/api/lineage?select=${encodeURIComponent(wanted)}` : "/api/lineage");
    selectError.textContent = "";
    selection = wanted;
    data = found;
    const url = new URL(location.href);
    if (selection) url.searchParams.set("select", selection); else url.searchParams.delete("select");
    history.replaceState(null, "", url);
    setLaunchLink();
    document.body.dataset.ready = "false";
    await render();
    document.body.dataset.ready = "true";
  }

  // Live: new statuses go into the nodes in place; zoom, pan and the selected node stay.
  async function refresh() {
    if (!live.checked) return;
    const fresh = await load();
    data = Object.assign(data, { nodes: fresh.nodes, version: fresh.version });
    relabel();
    window.agLineage.version = fresh.version;
    info.dataset.updated = String(Date.now() / 1000);
  }

  // Node data from `data` (also each minute, so "5 min ago" keeps true).
  function relabel() {
    const now = Date.now() / 1000;
    cy.batch(() => data.nodes.forEach((node) => {
      const shown = cy.getElementById(node.key);
      if (!shown.empty()) shown.data(nodeData(node, now));
    }));
  }
  setInterval(() => { if (cy && document.visibilityState !== "hidden") relabel(); }, 60_000);

  selectInput.addEventListener("input", setLaunchLink);
  live.addEventListener("change", () => { if (live.checked) refresh(); });
  selectForm.addEventListener("submit", (event) => { event.preventDefault(); applySelection(); });
  find.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      const key = find.value.trim();
      if (!focus(key)) {
        const match = data.nodes.find((n) => n.key.includes(key));
        if (match) focus(match.key);
      }
    }
  });
  fit.addEventListener("click", () => cy.fit(undefined, 20));
  const zoomBy = (factor) => cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 } });
  zoomIn.addEventListener("click", () => zoomBy(1.4));
  zoomOut.addEventListener("click", () => zoomBy(1 / 1.4));

  const checked = selection ? await ag.api(`/api/select?select=${encodeURIComponent(selection)}`) : { error: null };
  if (checked.error) {
    selectError.textContent = checked.error;
    selection = "";
  }
  data = await load();
  setLaunchLink();
  await render();
  const wanted = params.get("focus");
  if (wanted) focus(wanted);
  ag.watchVersion(refresh, data.version);
  document.body.dataset.ready = "true";
})();
