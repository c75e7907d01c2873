// Shared helpers of every page. Data from the API reaches the DOM only through
// textContent and attribute setters (never innerHTML), so nothing a user wrote is parsed
// as HTML.
"use strict";

const ag = (() => {
  async function api(path, options) {
    const response = await fetch(path, Object.assign({ credentials: "same-origin" }, options));
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (_) {
      body = text;
    }
    if (!response.ok) {
      const detail = body && body.detail !== undefined ? body.detail : body;
      const message = typeof detail === "string" ? detail : JSON.stringify(detail);
      throw new Error(`${response.status}: ${message}`);
    }
    return body;
  }

  function post(path, payload) {
    return api(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload),
    });
  }

  // el("a", {href: "/x", class: "k"}, "text", child): children are strings or nodes.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function assetHref(key) {
    return "/assets/" + key.split("/").map(encodeURIComponent).join("/");
  }

  function assetApi(kind, key) {
    return `/api/${kind}/` + key.split("/").map(encodeURIComponent).join("/");
  }

  function runHref(runId) {
    return "/runs/" + encodeURIComponent(runId);
  }

  function badge(status, kind) {
    return el("span", { class: `badge ${kind === "run" ? "run" : "st"}-${status}`, text: status });
  }

  function fmtTime(ts) {
    if (ts === null || ts === undefined) return "—";
    const d = new Date(ts * 1000);
    return d.toISOString().replace("T", " ").slice(0, 19);
  }

  function fmtAgo(ts, now) {
    if (ts === null || ts === undefined) return "never";
    const s = Math.max(0, (now || Date.now() / 1000) - ts);
    if (s < 60) return `${Math.round(s)} s ago`;
    if (s < 3600) return `${Math.round(s / 60)} min ago`;
    if (s < 86400) return `${Math.round(s / 3600)} h ago`;
    return `${Math.round(s / 86400)} d ago`;
  }

  function fmtDuration(seconds) {
    if (seconds === null || seconds === undefined) return "—";
    if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
    if (seconds < 120) return `${seconds.toFixed(1)} s`;
    if (seconds < 7200) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
    return `${(seconds / 3600).toFixed(1)} h`;
  }

  function table(headers, rows) {
    return el(
      "table",
      {},
      el("thead", {}, el("tr", {}, headers.map((h) => el("th", { text: h })))),
      el("tbody", {}, rows)
    );
  }

  function showError(container, error) {
    container.append(el("p", { class: "error", role: "alert", text: String(error.message || error) }));
  }

  const main = document.getElementById("main");
  const page = document.body.dataset;

  return {
    api, post, el, clear, assetHref, assetApi, runHref, badge, fmtTime, fmtAgo,
    fmtDuration, table, showError, main, page,
  };
})();
