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

  // Times show in this browser's time zone, or in UTC when the header's switch is on
  // (remembered per browser); either way the zone is written after the time.
  const UTC_KEY = "assetgraph.utc";
  let utc = false;
  try { utc = window.localStorage.getItem(UTC_KEY) === "1"; } catch (_) { utc = false; }
  const pad = (n, w) => String(n).padStart(w || 2, "0");

  function zoneOf(d) {
    if (utc) return "UTC";
    const offset = -d.getTimezoneOffset();
    const sign = offset >= 0 ? "+" : "-";
    const abs = Math.abs(offset);
    return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }

  // fmtTime(ts): "2025-01-08 13:04:05 UTC+01:00"; {ms: true} adds milliseconds,
  // {zone: false} leaves the zone out, {date: false} the date.
  function fmtTime(ts, options) {
    if (ts === null || ts === undefined) return "—";
    const o = Object.assign({ ms: false, zone: true, date: true }, options);
    const d = new Date(ts * 1000);
    const get = (name) => d[utc ? `getUTC${name}` : `get${name}`]();
    const day = `${get("FullYear")}-${pad(get("Month") + 1)}-${pad(get("Date"))}`;
    let time = `${pad(get("Hours"))}:${pad(get("Minutes"))}:${pad(get("Seconds"))}`;
    if (o.ms) time += `.${pad(get("Milliseconds"), 3)}`;
    return [o.date ? day : null, time, o.zone ? zoneOf(d) : null].filter(Boolean).join(" ");
  }

  function zoneName() {
    return zoneOf(new Date());
  }

  const utcSwitch = document.getElementById("utc");
  if (utcSwitch) {
    utcSwitch.checked = utc;
    utcSwitch.addEventListener("change", () => {
      try { window.localStorage.setItem(UTC_KEY, utcSwitch.checked ? "1" : "0"); } catch (_) { /* private mode */ }
      window.location.reload();
    });
  }

  // Descriptions and markdown metadata written in Markdown or reStructuredText, rendered
  // as DOM nodes built from text (no HTML is ever parsed): paragraphs, headings, lists,
  // code blocks, ``literals``/`code`, **bold**, *emphasis*, and links to http(s) URLs only.
  function inline(text) {
    const out = [];
    const pattern = /``([^`]+)``|`([^`<]+?)\s*<(https?:\/\/[^>\s]+)>`_{1,2}|`([^`]+)`(?!_)|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|\[([^\]]+)\]\(([^)\s]+)\)/g;
    let last = 0;
    let m;
    while ((m = pattern.exec(text)) !== null) {
      if (m.index > last) out.push(text.slice(last, m.index));
      if (m[1] !== undefined) out.push(el("code", { text: m[1] }));
      else if (m[2] !== undefined) out.push(link(m[2], m[3]));
      else if (m[4] !== undefined) out.push(el("code", { text: m[4] }));
      else if (m[5] !== undefined) out.push(el("strong", { text: m[5] }));
      else if (m[6] !== undefined) out.push(el("em", { text: m[6] }));
      else out.push(link(m[7], m[8]));
      last = pattern.lastIndex;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }

  function link(label, url) {
    return /^https?:\/\//i.test(url)
      ? el("a", { href: url, rel: "noopener noreferrer", target: "_blank", text: label })
      : document.createTextNode(`${label} (${url})`);
  }

  function richText(source) {
    const box = el("div", { class: "rich" });
    const lines = String(source || "").replace(/\r\n?/g, "\n").split("\n");
    let i = 0;
    const isBlank = (line) => !line || !line.trim();
    const indent = (line) => line.length - line.trimStart().length;
    while (i < lines.length) {
      const line = lines[i];
      if (isBlank(line)) { i += 1; continue; }
      const fence = line.trim().match(/^(```|~~~)/);
      if (fence) {
        const body = [];
        i += 1;
        while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
        i += 1;
        box.append(el("pre", { class: "code", text: body.join("\n") }));
        continue;
      }
      const heading = line.match(/^(#{1,6})\s+(.*)$/);
      if (heading) {
        box.append(el(heading[1].length <= 2 ? "h3" : "h4", {}, inline(heading[2])));
        i += 1;
        continue;
      }
      if (i + 1 < lines.length && /^\s*([=\-~^"'`#*+])\1{2,}\s*$/.test(lines[i + 1]) && !/^\s*[-*+]\s/.test(line)) {
        box.append(el("h3", {}, inline(line.trim())));
        i += 2;
        continue;
      }
      const item = /^\s*(?:[-*+]|\d+[.)])\s+/;
      if (item.test(line)) {
        const ordered = /^\s*\d/.test(line);
        const list = el(ordered ? "ol" : "ul", {});
        while (i < lines.length && item.test(lines[i])) {
          const parts = [lines[i].replace(item, "")];
          i += 1;
          while (i < lines.length && !isBlank(lines[i]) && !item.test(lines[i]) && indent(lines[i]) > 0) parts.push(lines[i++].trim());
          list.append(el("li", {}, inline(parts.join(" "))));
        }
        box.append(list);
        continue;
      }
      const paragraph = [];
      while (i < lines.length && !isBlank(lines[i]) && !item.test(lines[i]) && !/^#{1,6}\s/.test(lines[i])) paragraph.push(lines[i++].trim());
      let text = paragraph.join(" ");
      let literal = false;
      if (text.endsWith("::")) { text = text.endsWith(" ::") ? text.slice(0, -3) : text.slice(0, -1); literal = true; }
      if (text) box.append(el("p", {}, inline(text)));
      if (literal) {
        while (i < lines.length && isBlank(lines[i])) i += 1;
        const body = [];
        const base = i < lines.length ? indent(lines[i]) : 0;
        while (i < lines.length && (isBlank(lines[i]) || (base > 0 && indent(lines[i]) >= base))) body.push(lines[i++].slice(base));
        box.append(el("pre", { class: "code", text: body.join("\n").trimEnd() }));
      }
    }
    return box;
  }

  // The text of a description without its markup (for one-line table cells).
  function plainText(source) {
    return String(source || "").replace(/``([^`]+)``/g, "$1").replace(/`([^`]+)`_*/g, "$1")
      .replace(/\*\*([^*]+)\*\*/g, "$1").replace(/\s+/g, " ").trim();
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

  // Live pages: call onChange(version) when /api/version differs from `since` (the version
  // the page's data was read at), polled every few seconds while the tab is visible;
  // onChange updates the page in place. While runs write events all the time (a backfill),
  // an update that took d ms is followed by a pause of 4 d, so a costly page reloads less.
  function watchVersion(onChange, since, intervalMs) {
    let last = since;
    let busy = false;
    let quietUntil = 0;
    async function poll() {
      if (busy || document.visibilityState === "hidden" || Date.now() < quietUntil) return;
      busy = true;
      try {
        const { version } = await api("/api/version");
        if (version !== last) {
          const started = Date.now();
          await onChange(version);
          quietUntil = Date.now() + 4 * (Date.now() - started);
        }
        last = version;
      } catch (_) {
        // The server restarting or a network blip: try again on the next tick.
      } finally {
        busy = false;
      }
    }
    poll();
    return setInterval(poll, intervalMs || 3000);
  }

  // Tabs over the <section data-tab="name"> elements inside `root` (label: data-tab-label),
  // in page order, including sections another script adds later. The open tab is the
  // URL's #name (or the id of a section), so a tab can be linked and survives a reload.
  function tabs(root, before) {
    const bar = el("div", { class: "tabs", role: "tablist", id: "tabs" });
    root.insertBefore(bar, before ? before.nextSibling : root.firstChild);
    const sections = () => [...root.querySelectorAll("section[data-tab]")];
    const nameOf = (section) => section.dataset.tab;
    // The tab a #hash names: by name, by the section's id, or holding that element.
    function tabOf(hash) {
      const target = hash && document.getElementById(hash);
      const section = sections().find((s) => nameOf(s) === hash || s.id === hash || (target && s.contains(target)));
      return section ? nameOf(section) : null;
    }
    let wanted = decodeURIComponent(location.hash.slice(1));
    function show() {
      const all = sections();
      const open = all.find((s) => nameOf(s) === wanted) || all.find((s) => nameOf(s) === tabOf(wanted)) || all[0];
      clear(bar).append(...all.map((section) => {
        const name = nameOf(section);
        const label = section.dataset.tabLabel || name.charAt(0).toUpperCase() + name.slice(1);
        section.setAttribute("role", "tabpanel");
        section.hidden = section !== open;
        return el("button", {
          type: "button", role: "tab", class: "tab", "data-tab": name, "aria-selected": String(section === open),
          "aria-controls": section.id || null, text: label,
          onclick: () => { wanted = name; history.pushState(null, "", `#${encodeURIComponent(name)}`); show(); },
        });
      }));
      if (open) bar.dataset.open = nameOf(open);
    }
    // Arrow keys move between tabs, as in any tab list.
    bar.addEventListener("keydown", (event) => {
      const buttons = [...bar.querySelectorAll("button.tab")];
      const at = buttons.indexOf(document.activeElement);
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (at < 0 || !step) return;
      const next = buttons[(at + step + buttons.length) % buttons.length];
      next.click();
      bar.querySelector(`button[data-tab="${next.dataset.tab}"]`).focus();
    });
    const follow = () => {
      const hash = decodeURIComponent(location.hash.slice(1));
      if (!hash || tabOf(hash)) { wanted = hash; show(); } // #partition-detail and the like stay put
    };
    window.addEventListener("popstate", follow);
    window.addEventListener("hashchange", follow);
    new MutationObserver((changes) => {
      if (changes.some((c) => [...c.addedNodes, ...c.removedNodes].some((n) => n.nodeType === 1 && n.matches("section[data-tab]")))) show();
    }).observe(root, { childList: true });
    show();
    return { show };
  }

  const main = document.getElementById("main");
  const page = document.body.dataset;

  return {
    api, post, el, clear, assetHref, assetApi, runHref, badge, fmtTime, fmtAgo,
    fmtDuration, table, showError, main, page, richText, plainText, zoneName, watchVersion, tabs,
  };
})();
