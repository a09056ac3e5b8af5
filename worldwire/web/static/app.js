// WorldWire: live updates, local times and keyboard navigation. The pages work
// without it; this only adds to them.
(() => {
  "use strict";
  const main = document.getElementById("main");
  const list = document.getElementById("stories");
  const bar = document.getElementById("new-stories");
  const status = document.getElementById("live-status");
  const baseTitle = document.title;
  const MAX_STORIES = 200;
  const queued = new Map(); // story id -> card, while the reader is scrolled down
  let unread = 0;

  // Dates in the reader's own time zone and language.
  const short = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
  const long = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  const localise = (root) => {
    root.querySelectorAll("time[datetime]").forEach((t) => {
      const d = new Date(t.getAttribute("datetime"));
      if (Number.isNaN(d.getTime())) return;
      const today = d.toDateString() === new Date().toDateString();
      t.textContent = today ? short.format(d) : long.format(d);
      t.title = long.format(d);
    });
  };
  localise(document);

  const setTitle = () => {
    document.title = unread > 0 ? `(${unread}) ${baseTitle}` : baseTitle;
  };
  const reading = () => !document.hidden && window.scrollY < 120;
  const seen = () => {
    if (reading() && queued.size === 0 && unread > 0) {
      unread = 0;
      setTitle();
    }
  };
  document.addEventListener("visibilitychange", seen);
  window.addEventListener("scroll", seen, { passive: true });

  const card = (html) => {
    const t = document.createElement("template");
    t.innerHTML = html.trim();
    const el = t.content.firstElementChild;
    if (el) localise(el);
    return el;
  };

  const insert = (el) => {
    const old = document.getElementById(el.id);
    if (old) {
      old.replaceWith(el);
      return;
    }
    document.getElementById("empty")?.remove();
    list.prepend(el);
    el.classList.add("fresh");
    while (list.children.length > MAX_STORIES) list.lastElementChild.remove();
  };

  const showBar = () => {
    const n = queued.size;
    bar.hidden = n === 0;
    bar.textContent = n === 1 ? "1 new story: show it" : `${n} new stories: show them`;
  };

  const flush = () => {
    queued.forEach((el) => insert(el));
    queued.clear();
    showBar();
  };

  const onStory = (event) => {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (!data.html) return;
    const el = card(data.html);
    if (!el || !el.id) return;
    if (document.getElementById(el.id)) {
      document.getElementById(el.id).replaceWith(el); // an update, in place
      return;
    }
    if (queued.has(el.id)) {
      queued.set(el.id, el);
      return;
    }
    if (event.type !== "story.new") return; // an older story, not on this page
    if (window.scrollY < 120) insert(el);
    else {
      queued.set(el.id, el);
      showBar();
    }
    if (!reading()) {
      unread += 1;
      setTitle();
    }
  };

  if (bar) {
    bar.addEventListener("click", () => {
      flush();
      window.scrollTo({ top: 0 });
      list.firstElementChild?.focus();
      unread = 0;
      setTitle();
    });
  }

  if (main?.dataset.stream && list && "EventSource" in window) {
    const url = new URL(main.dataset.stream, location.href);
    url.searchParams.set("last_event_id", main.dataset.lastEvent || "0");
    // The browser resends Last-Event-ID on each reconnect: nothing is missed.
    const source = new EventSource(url);
    source.addEventListener("story.new", onStory);
    source.addEventListener("story.updated", onStory);
    source.addEventListener("open", () => {
      if (status) status.textContent = "Live";
    });
    source.addEventListener("error", () => {
      if (status) status.textContent = "Reconnecting…";
    });
  }

  // Keyboard: j/k next and previous story, o opens it, / searches.
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName)) return;
    if (e.key === "/") {
      e.preventDefault();
      document.getElementById("site-q")?.focus();
      return;
    }
    const items = [...document.querySelectorAll(".story")];
    if (items.length === 0) return;
    let i = items.findIndex((x) => x.classList.contains("current"));
    if (e.key === "j" || e.key === "k") {
      i = e.key === "j" ? Math.min(items.length - 1, i + 1) : Math.max(0, i - 1);
      items.forEach((x) => x.classList.remove("current"));
      items[i].classList.add("current");
      items[i].focus({ preventScroll: true });
      items[i].scrollIntoView({ block: "nearest" });
    } else if (e.key === "o" && i >= 0) {
      items[i].querySelector("h2 a, h3 a")?.click();
    }
  });
})();
