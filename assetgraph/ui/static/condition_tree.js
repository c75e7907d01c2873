// Shared by the tick page and the asset page's automation panel: an evaluated
// AutomationCondition tree (as the daemon records it) drawn as nested lists, each node
// true or false with the partitions it holds for, as Dagster's evaluation view shows it.
"use strict";

const agConditions = (() => {
  const { el } = ag;

  function nodeName(node) {
    let name = node.label || node.name || "?";
    if (node.label && node.name && node.name !== node.label) name += ` (${node.name})`;
    return name;
  }

  function counts(node) {
    const total = Number(node.total || 0);
    const holds = Number(node.true || 0);
    if (total === 1) return "";
    return `${holds} of ${total} partition${total === 1 ? "" : "s"}`;
  }

  function drawNode(node) {
    const holds = Number(node.true || 0) > 0;
    const line = el("div", { class: "cond-line" },
      el("span", { class: `cond-mark ${holds ? "cond-true" : "cond-false"}`, text: holds ? "true" : "false" }), " ",
      el("span", { class: "cond-name mono", text: nodeName(node) }),
      node.key ? el("span", { class: "muted small", text: ` on ${node.key}` }) : "",
      node.downstream ? el("span", { class: "muted small", text: ` from downstream ${node.downstream.join(", ")}` }) : "",
      counts(node) ? el("span", { class: "cond-counts small", text: " " + counts(node) }) : "",
      node.partitions ? el("span", { class: "cond-partitions mono small", text: ` [${node.partitions}]` }) : "");
    const item = el("li", { class: "cond-node", "data-name": node.name || "", "data-true": String(holds) }, line);
    if (node.children && node.children.length) item.append(el("ul", {}, node.children.map(drawNode)));
    return item;
  }

  // draw(recorded): recorded is {initial, tree} or {same_as, tree} or {missing}.
  function draw(recorded) {
    const box = el("div", { class: "cond-tree" });
    if (!recorded) return box;
    let note = recorded.initial ? "initial evaluation" : "";
    if (recorded.same_as) note = `unchanged since the tick at ${ag.fmtTime(recorded.same_as)}`;
    if (note) box.append(el("p", { class: "muted small", text: note }));
    if (!recorded.tree) {
      box.append(el("p", { class: "muted small", text: `Condition tree not shown: ${recorded.missing || "not recorded"}.` }));
      return box;
    }
    box.append(el("ul", { class: "cond-root" }, drawNode(recorded.tree)));
    return box;
  }

  // outline(node): a condition's definition (not evaluated), as nested lists.
  function outline(node) {
    const item = el("li", {}, el("span", { class: "mono", text: nodeName(node) }));
    if (node.children && node.children.length) item.append(el("ul", {}, node.children.map(outline)));
    return item;
  }

  // A decision badge: requested, waiting or skipped.
  function decisionBadge(decision) {
    const css = { requested: "run-success", waiting: "run-queued", skipped: "run-canceled" }[decision] || "run-queued";
    return el("span", { class: `badge ${css} decision`, "data-decision": decision, text: decision });
  }

  return { draw, outline: (node) => el("ul", { class: "cond-outline" }, outline(node)), decisionBadge };
})();
