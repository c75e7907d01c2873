// The lineage graph: cytoscape.js with the dagre layout (vendored under /static/vendor).
// Groups are compound nodes; assets are coloured by status; zoom and pan with the mouse;
// click an asset to open it; the search box finds and centres one.
"use strict";

(async () => {
  const { el, main } = ag;
  main.classList.add("wide");
  main.append(el("h1", { text: "Lineage" }));
  let data;
  try {
    data = await ag.api("/api/lineage");
  } catch (error) {
    ag.showError(main, error);
    return;
  }
  const colours = Object.fromEntries(data.statuses.map((s) => [s.status, s]));
  const find = el("input", { id: "find", type: "search", placeholder: "Find an asset (Enter)", "aria-label": "Find an asset", list: "lineage-keys" });
  const keys = el("datalist", { id: "lineage-keys" }, data.nodes.slice(0, 5000).map((n) => el("option", { value: n.key })));
  const fit = el("button", { type: "button", text: "Fit" });
  const zoomIn = el("button", { type: "button", text: "+", "aria-label": "Zoom in" });
  const zoomOut = el("button", { type: "button", text: "−", "aria-label": "Zoom out" });
  const info = el("span", { class: "muted", id: "lineage-info", text: `${data.nodes.length} assets in ${data.groups.length} groups — laying out…` });
  const legend = el("span", { class: "legend" }, data.statuses.map((s) => ag.badge(s.status)));
  const container = el("div", { id: "graph", role: "img", "aria-label": "Asset lineage graph" });
  // The launchpad opens on what the box holds: a key, or a selection such as +key.
  const launch = el("button", { id: "lineage-launch", type: "button", text: "Launch…", title: "Open the launchpad on the asset or selection typed in the box", onclick: () => {
    location.href = "/launchpad?" + new URLSearchParams({ select: find.value.trim() || new URLSearchParams(location.search).get("select") || "*" });
  } });
  main.append(el("div", { class: "controls" }, find, keys, launch, fit, zoomIn, zoomOut, legend, info), container);

  const big = data.nodes.length > 300;
  const groupOf = new Map(data.nodes.map((n) => [n.key, n.group]));
  const elements = [];
  const grouped = data.groups.length > 1;
  if (grouped) {
    for (const group of data.groups) {
      elements.push({ group: "nodes", data: { id: `group:${group}`, label: group, isGroup: true } });
    }
  }
  for (const node of data.nodes) {
    const colour = colours[node.status] || { fill: "#eeeeee", stroke: "#757575" };
    elements.push({
      group: "nodes",
      data: {
        id: node.key,
        label: node.key,
        parent: grouped ? `group:${node.group}` : undefined,
        group: node.group,
        status: node.status,
        fill: colour.fill,
        stroke: colour.stroke,
        shape: node.partitioned ? "round-rectangle" : "rectangle",
      },
    });
  }
  data.edges.forEach((edge, i) => {
    const cross = groupOf.get(edge.source) !== groupOf.get(edge.target);
    elements.push({ group: "edges", classes: cross ? "cross" : "", data: { id: `e${i}`, source: edge.source, target: edge.target, mapping: edge.partition_mapping || "" } });
  });

  const cy = cytoscape({
    container,
    elements,
    minZoom: 0.02,
    maxZoom: 4,
    textureOnViewport: big,
    hideEdgesOnViewport: big,
    pixelRatio: big ? 1 : "auto",
    boxSelectionEnabled: false,
    style: [
      {
        selector: "node",
        style: {
          shape: "data(shape)", width: 190, height: 34,
          "background-color": "data(fill)", "border-color": "data(stroke)", "border-width": 2,
          label: "data(label)", "font-size": 12, "text-valign": "center", "text-halign": "center",
          "text-wrap": "ellipsis", "text-max-width": 178, "min-zoomed-font-size": 7,
        },
      },
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
      { selector: "edge.cross", style: { opacity: 0.45 } },
      { selector: "edge.near", style: { "line-color": "#1f4fd1", "target-arrow-color": "#1f4fd1", width: 2.5 } },
    ],
  });

  // Two-level layout, because dagre on one compound graph of 1,000 nodes takes minutes:
  // 1. lay out each group's assets (and the edges between them) on its own;
  // 2. lay out the groups as boxes of those sizes, joined where any of their assets are;
  // 3. move each group's assets into its box. Edges between groups are drawn straight
  //    across. With one group this is a single dagre layout.
  function runLayout(eles, options) {
    return new Promise((resolve) => {
      const run = eles.layout(Object.assign({ name: "dagre", rankDir: "LR", animate: false, fit: false }, options));
      run.one("layoutstop", resolve);
      run.run();
    });
  }

  async function layout() {
    const started = performance.now();
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
    cy.fit(undefined, 20);
    if (cy.zoom() > 1.1) {
      cy.zoom(1.1); // a small graph stays at reading size rather than blown up
      cy.center();
    }
    scaleGroupLabels();
    return performance.now() - started;
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

  cy.on("zoom", scaleGroupLabels);
  cy.on("tap", "node", (event) => {
    const node = event.target;
    if (node.data("isGroup")) return;
    location.href = ag.assetHref(node.id());
  });
  cy.on("mouseover", "node", (event) => {
    const node = event.target;
    container.title = node.data("isGroup") ? `group ${node.id().slice(6)}` : `${node.id()} — ${node.data("status")}`;
    node.connectedEdges().addClass("near");
  });
  cy.on("mouseout", "node", (event) => {
    event.target.connectedEdges().removeClass("near");
    container.title = "";
  });
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
  zoomIn.addEventListener("click", () => cy.zoom({ level: cy.zoom() * 1.4, renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 } }));
  zoomOut.addEventListener("click", () => cy.zoom({ level: cy.zoom() / 1.4, renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 } }));

  const elapsed = await layout();
  info.textContent = `${data.nodes.length} assets in ${data.groups.length} groups — layout ${Math.round(elapsed)} ms. Scroll to zoom, drag to pan, click an asset to open it.`;
  const wanted = new URLSearchParams(location.search).get("focus");
  if (wanted) focus(wanted);
  window.agLineage = { cy, layoutMs: elapsed };
  document.body.dataset.ready = "true";
})();
