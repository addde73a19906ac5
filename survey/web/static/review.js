/* Review workspace: send the decision forms without leaving the page, keyboard shortcuts,
   and text selection as the quote of an added theme.

   Progressive enhancement: every form works as a plain POST without this file. With it, a
   form is sent with fetch (header X-Requested-With: fetch), the server answers with the
   re-rendered card, and the card is swapped in place. Requests run one after another, so a
   key pressed while one is under way acts on the page as it is after it.

   Single-key shortcuts (WCAG 2.1.4) can be switched off, and never fire while typing in a
   field: j/k next/previous answer, a accept, r reject, x remove, t add a theme, d done,
   u undo, b bulk-accept, f filters, ? help. */
(function () {
  "use strict";

  var STORAGE_KEY = "lagesbild.review.shortcuts";
  var MESSAGE_KEY = "lagesbild.review.message";
  var queue = Promise.resolve();
  var current = null;

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll(".cards > .answer"));
  }

  function currentCard() {
    if (current && document.body.contains(current)) {
      return current;
    }
    var list = cards();
    current = list.filter(function (c) { return !c.classList.contains("is-done"); })[0] ||
      list[0] || null;
    if (current) {
      current.classList.add("is-current");
    }
    return current;
  }

  function setCurrent(card, focus) {
    if (!card) {
      return;
    }
    cards().forEach(function (c) { c.classList.remove("is-current"); });
    card.classList.add("is-current");
    current = card;
    if (focus) {
      card.focus();
    }
  }

  function announce(message, isError) {
    var live = document.getElementById("live");
    if (!live || !message) {
      return;
    }
    live.textContent = "";
    var p = document.createElement("p");
    p.className = isError ? "field-error" : "saved";
    p.textContent = message;
    live.appendChild(p);
  }

  function progress(data) {
    var line = document.getElementById("progress");
    if (line && data && data.text) {
      line.textContent = data.text;
    }
  }

  /* ---------------------------------------------------------------- sending forms */

  function replaceCard(id, html) {
    var old = document.getElementById(id);
    if (!old) {
      return null;
    }
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var fresh = holder.firstElementChild;
    old.replaceWith(fresh);
    if (old === current || old.classList.contains("is-current")) {
      fresh.classList.add("is-current");
      current = fresh;
    }
    return fresh;
  }

  function focusNext(card) {
    var pending = card.querySelector(".suggestion.is-pending button[data-key]");
    var done = card.querySelector(".done-form button");
    (pending || done || card).focus();
  }

  function afterReply(kind, body, card) {
    var ids = Object.keys(body.cards || {});
    var replaced = ids.map(function (id) { return replaceCard(id, body.cards[id]); })
      .filter(Boolean);
    progress(body.progress);
    announce(body.message, false);
    if (body.reload || (kind === "undo" && ids.length && !replaced.length)) {
      sessionStorage.setItem(MESSAGE_KEY, body.message || "");
      window.location.reload();
      return;
    }
    var fresh = replaced[0] || (card && document.getElementById(card.id));
    if (kind === "done") {
      goNext(fresh);
    } else if (kind === "undo") {
      if (fresh) {
        setCurrent(fresh, false);
        focusNext(fresh);
      }
    } else if (fresh) {
      setCurrent(fresh, false);
      focusNext(fresh);
    }
  }

  function kindOf(form) {
    if (form.classList.contains("done-form")) {
      return "done";
    }
    if (form.classList.contains("undo-form")) {
      return "undo";
    }
    return form.classList.contains("add-theme") ? "add" : "decide";
  }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    var card = form.closest(".answer");
    var kind = kindOf(form);
    // getAttribute: form.action would be the field named "action", not the form's URL
    return fetch(form.getAttribute("action"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"X-Requested-With": "fetch", "Accept": "application/json"}
    }).then(function (response) {
      return response.json();
    }).then(function (body) {
      if (!body.ok) {
        announce(body.message, true);
        if (card) {
          focusNext(card);
        }
        return;
      }
      afterReply(kind, body, card);
    }).catch(function (error) {
      if (window.console) {
        window.console.error(error);
      }
      announce(document.documentElement.lang === "en" ?
        "The decision could not be sent. Reload the page and try again." :
        "Beslutet kunde inte skickas. Ladda om sidan och försök igen.", true);
    });
  }

  /* body[data-busy] counts the actions waiting or under way (tests and styles read it) */
  function busy(change) {
    var count = parseInt(document.body.getAttribute("data-busy") || "0", 10) + change;
    if (count > 0) {
      document.body.setAttribute("data-busy", String(count));
    } else {
      document.body.removeAttribute("data-busy");
    }
  }

  function enqueue(task) {
    busy(1);
    queue = queue.then(task, task).then(function () { busy(-1); }, function () { busy(-1); });
    return queue;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches(".answer form, form.undo-form")) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter || null;
    enqueue(function () { return send(form, submitter); });
  });

  /* ---------------------------------------------------------------- keyboard */

  function shortcutsOn() {
    return localStorage.getItem(STORAGE_KEY) !== "off";
  }

  function goNext(card) {
    var list = cards();
    var index = list.indexOf(card || currentCard());
    if (index >= 0 && index + 1 < list.length) {
      setCurrent(list[index + 1], true);
      return;
    }
    var holder = document.querySelector(".cards");
    if (holder && holder.dataset.continue) {
      window.location.assign(holder.dataset.continue);
    }
  }

  function goPrevious() {
    var list = cards();
    var index = list.indexOf(currentCard());
    if (index > 0) {
      setCurrent(list[index - 1], true);
    }
  }

  function suggestionFor(card, key) {
    var active = document.activeElement;
    var focused = active && active.closest ? active.closest(".suggestion") : null;
    if (focused && card.contains(focused)) {
      return focused;
    }
    if (key === "remove") {
      var present = card.querySelectorAll(".suggestion.st-accepted, .suggestion.st-added");
      return present.length ? present[present.length - 1] : null;
    }
    return card.querySelector(".suggestion.is-pending");
  }

  function press(key) {
    var card = currentCard();
    if (!card) {
      return;
    }
    var suggestion = suggestionFor(card, key);
    if (!suggestion) {
      return;
    }
    var button = suggestion.querySelector("button[data-key='" + key + "']");
    if (!button && key === "remove") {
      button = suggestion.querySelector("button[data-key='reject']");
    }
    if (button) {
      button.form.requestSubmit(button);
    }
  }

  function done() {
    var card = currentCard();
    if (!card) {
      return;
    }
    var button = card.querySelector(".done-form button");
    if (button) {
      button.form.requestSubmit(button);
    } else {
      goNext(card);
    }
  }

  function undo() {
    var button = document.querySelector("form.undo-form button");
    if (button) {
      button.form.requestSubmit(button);
    }
  }

  function addTheme() {
    var card = currentCard();
    var select = card && card.querySelector(".add-theme select");
    if (select) {
      select.focus();
    }
  }

  function typing(target) {
    return target && (target.isContentEditable ||
      /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && typing(event.target) && event.target.closest(".answer")) {
      event.target.closest(".answer").focus();
      return;
    }
    if (!shortcutsOn() || event.ctrlKey || event.metaKey || event.altKey ||
        typing(event.target) || !document.querySelector(".cards")) {
      return;
    }
    var actions = {
      j: function () { goNext(null); },
      k: goPrevious,
      a: function () { enqueue(function () { press("accept"); }); },
      r: function () { enqueue(function () { press("reject"); }); },
      x: function () { enqueue(function () { press("remove"); }); },
      d: function () { enqueue(done); },
      u: function () { enqueue(undo); },
      t: addTheme,
      b: function () {
        var bulk = document.querySelector("details.bulk");
        if (bulk) {
          bulk.open = true;
          bulk.querySelector("input[name=min_score]").focus();
        }
      },
      f: function () {
        var first = document.querySelector("form.filters select");
        if (first) {
          first.focus();
        }
      },
      "?": function () {
        var help = document.getElementById("shortcuts");
        if (help) {
          help.open = !help.open;
        }
      }
    };
    var action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  document.addEventListener("focusin", function (event) {
    var card = event.target.closest && event.target.closest(".cards > .answer");
    if (card && card !== current) {
      setCurrent(card, false);
    }
  });

  /* ---------------------------------------------------------------- selection as quote */

  function pieceOffset(container, node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      var owner = node.parentNode;
      if (owner.hasAttribute && owner.hasAttribute("data-o")) {
        return parseInt(owner.getAttribute("data-o"), 10) + offset;
      }
      node = owner;  // inside a bracketed label: counts as the end of the piece before it
      offset = 0;
    }
    if (node === container) {
      var child = container.childNodes[offset];
      if (!child) {
        return rawText(container).length;
      }
      node = child;
    }
    var element = node.closest ? node.closest("[data-o]") : null;
    if (element && container.contains(element)) {
      return parseInt(element.getAttribute("data-o"), 10);
    }
    var before = node;
    while (before && !(before.hasAttribute && before.hasAttribute("data-o"))) {
      before = before.previousElementSibling;
    }
    return before ? parseInt(before.getAttribute("data-o"), 10) + before.textContent.length : 0;
  }

  function rawText(container) {
    return Array.prototype.map.call(container.querySelectorAll("[data-o]"),
      function (piece) { return piece.textContent; }).join("");
  }

  document.addEventListener("selectionchange", function () {
    var selection = document.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) {
      return;
    }
    var range = selection.getRangeAt(0);
    var container = range.commonAncestorContainer;
    container = container.nodeType === Node.TEXT_NODE ? container.parentNode : container;
    container = container.closest ? container.closest("[data-text]") : null;
    if (!container) {
      return;
    }
    var start = pieceOffset(container, range.startContainer, range.startOffset);
    var end = pieceOffset(container, range.endContainer, range.endOffset);
    var raw = rawText(container);
    while (start < end && /\s/.test(raw.charAt(start))) { start += 1; }
    while (end > start && /\s/.test(raw.charAt(end - 1))) { end -= 1; }
    if (end <= start) {
      return;
    }
    var form = container.closest(".answer").querySelector(".add-theme");
    if (!form) {
      return;
    }
    form.elements.quote.value = raw.slice(start, end);
    form.elements.start.value = String(start);
    form.elements.end.value = String(end);
    setCurrent(container.closest(".answer"), false);
  });

  document.addEventListener("input", function (event) {
    if (event.target.name === "quote" && event.target.form) {
      event.target.form.elements.start.value = "";
      event.target.form.elements.end.value = "";
    }
  });

  /* ---------------------------------------------------------------- start */

  function start() {
    var toggle = document.getElementById("shortcuts-on");
    if (toggle) {
      toggle.disabled = false;
      toggle.checked = shortcutsOn();
      toggle.addEventListener("change", function () {
        localStorage.setItem(STORAGE_KEY, toggle.checked ? "on" : "off");
      });
    }
    var saved = sessionStorage.getItem(MESSAGE_KEY);
    if (saved) {
      sessionStorage.removeItem(MESSAGE_KEY);
      announce(saved, false);
    }
    var fromHash = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (fromHash && fromHash.classList.contains("answer")) {
      setCurrent(fromHash, true);
    } else {
      currentCard();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
