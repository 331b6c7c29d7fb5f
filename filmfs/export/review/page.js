(function () {
  "use strict";
  var shots = Array.prototype.slice.call(document.querySelectorAll("article.shot"));
  var items = Array.prototype.slice.call(document.querySelectorAll(".shot-item"));
  var playButton = document.getElementById("play-cut");
  var stage = document.querySelector(".stage");
  var state = { index: -1, playing: false };

  function placeholder(title, detail) {
    var box = document.createElement("div");
    box.className = "missing";
    var strong = document.createElement("strong");
    strong.textContent = title;
    box.appendChild(strong);
    if (detail) {
      var code = document.createElement("code");
      code.textContent = detail;
      box.appendChild(code);
    }
    return box;
  }

  // A video whose file cannot be read (e.g. a shared page without the store) becomes a
  // placeholder with the fix, not a broken player.
  function guard(video) {
    video.addEventListener("error", function () {
      if (video.classList.contains("main-video")) { return; }
      var box = placeholder("Media not available here", "filmfs pull");
      video.replaceWith(box);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("video"), guard);

  function cards(article) {
    return Array.prototype.slice.call(article.querySelectorAll(".take-card"));
  }

  function viewTake(article, card) {
    var viewer = article.querySelector(".viewer");
    if (!viewer || !card) { return; }
    var video = viewer.querySelector("video.main-video");
    var missing = viewer.querySelector(".viewer-missing");
    var label = viewer.querySelector(".viewer-label");
    cards(article).forEach(function (c) { c.classList.toggle("viewing", c === card); });
    var src = card.getAttribute("data-src");
    var take = card.getAttribute("data-take");
    var chosen = card.classList.contains("selected");
    label.textContent = "Take " + take + (chosen ? " \u00b7 selected" : "");
    article.setAttribute("data-viewing", take);
    if (src) {
      missing.hidden = true;
      video.hidden = false;
      if (video.getAttribute("src") !== src) {
        video.setAttribute("src", src);
        video.load();
      }
    } else {
      video.pause();
      video.removeAttribute("src");
      video.load();
      video.hidden = true;
      missing.hidden = false;
      missing.querySelector("strong").textContent = card.getAttribute("data-missing") || "No video";
    }
  }

  function defaultCard(article) {
    var all = cards(article);
    return article.querySelector(".take-card.selected") || all[all.length - 1] || null;
  }

  function showShot(index, options) {
    if (!shots.length) { return; }
    index = Math.max(0, Math.min(shots.length - 1, index));
    var previous = shots[state.index];
    if (previous && previous !== shots[index]) {
      Array.prototype.forEach.call(previous.querySelectorAll("video"), function (v) { v.pause(); });
    }
    if (state.index !== index && stage) { stage.scrollTop = 0; }
    state.index = index;
    shots.forEach(function (s, i) { s.hidden = i !== index; });
    items.forEach(function (item, i) {
      item.classList.toggle("current", i === index);
      if (i === index) {
        item.querySelector("button").setAttribute("aria-current", "true");
        if (item.scrollIntoView) { item.scrollIntoView({ block: "nearest" }); }
      } else {
        item.querySelector("button").removeAttribute("aria-current");
      }
    });
    var article = shots[index];
    document.body.setAttribute("data-current-shot", article.getAttribute("data-shot"));
    viewTake(article, defaultCard(article));
    if (!(options && options.keepHash) && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#" + article.getAttribute("data-shot"));
    }
  }

  function current() { return shots[state.index]; }

  function viewNumber(n) {
    var article = current();
    if (!article) { return; }
    var card = article.querySelector('.take-card[data-take="' + n + '"]');
    if (card) { viewTake(article, card); }
  }

  // --- Play cut: the selected takes in order; a video's "ended" moves to the next shot.
  function cutIndexes() {
    var found = [];
    shots.forEach(function (article, i) {
      var sel = article.querySelector(".take-card.selected");
      if (sel && sel.getAttribute("data-src")) { found.push(i); }
    });
    return found;
  }

  function playFrom(position) {
    var order = cutIndexes();
    var next = order.filter(function (i) { return i >= position; })[0];
    if (next === undefined) { stopCut(); return; }
    showShot(next);
    var video = current().querySelector("video.main-video");
    var attempt = video.play();
    if (attempt && attempt.catch) { attempt.catch(function () { /* autoplay refused */ }); }
  }

  function playCut() {
    if (state.playing) { stopCut(); return; }
    state.playing = true;
    document.body.classList.add("playing-cut");
    playButton.classList.add("playing");
    playButton.textContent = "\u25a0 Stop";
    playFrom(0);
  }

  function pauseAll() {
    Array.prototype.forEach.call(document.querySelectorAll("video"), function (v) { v.pause(); });
  }

  function stopCut() {
    // Stop means stop: leaving cut mode also pauses what was playing.
    if (state.playing) { pauseAll(); }
    state.playing = false;
    document.body.classList.remove("playing-cut");
    playButton.classList.remove("playing");
    playButton.textContent = "\u25b6 Play cut";
  }

  shots.forEach(function (article, i) {
    var main = article.querySelector("video.main-video");
    if (main) {
      main.addEventListener("ended", function () {
        if (state.playing && state.index === i) { playFrom(i + 1); }
      });
    }
    cards(article).forEach(function (card) {
      card.addEventListener("click", function (event) {
        if (event.target.closest(".cmd")) { return; }
        viewTake(article, card);
      });
    });
  });

  items.forEach(function (item, i) {
    item.querySelector("button").addEventListener("click", function () {
      stopCut();
      showShot(i);
    });
  });

  if (playButton) { playButton.addEventListener("click", playCut); }

  // Copy a select command; where the clipboard is refused (file:// pages often are), select
  // its text so Ctrl+C copies it.
  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  Array.prototype.forEach.call(document.querySelectorAll(".cmd button"), function (button) {
    button.addEventListener("click", function () {
      var code = button.parentNode.querySelector("code");
      var say = function (text) {
        button.textContent = text;
        setTimeout(function () { button.textContent = "Copy"; }, 1500);
      };
      var fallback = function () { selectText(code); say("Ctrl+C"); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(code.textContent).then(function () { say("Copied"); },
          fallback);
      } else {
        fallback();
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    var tag = (event.target && event.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.key === "ArrowRight" || event.key === "j") {
      stopCut(); showShot(state.index + 1); event.preventDefault();
    } else if (event.key === "ArrowLeft" || event.key === "k") {
      stopCut(); showShot(state.index - 1); event.preventDefault();
    } else if (/^[1-9]$/.test(event.key)) {
      viewNumber(event.key);
    } else if (event.key === "p") {
      playCut();
    } else if (event.key === "Escape") {
      pauseAll();
      stopCut();
    } else if (event.key === " " && current()) {
      var video = current().querySelector("video.main-video");
      if (video && !video.hidden) {
        if (video.paused) { video.play().catch(function () {}); } else { video.pause(); }
        event.preventDefault();
      }
    }
  });

  var wanted = decodeURIComponent((window.location.hash || "").slice(1));
  var start = 0;
  shots.forEach(function (article, i) {
    if (article.getAttribute("data-shot") === wanted) { start = i; }
  });
  showShot(start, { keepHash: !wanted });
  document.body.setAttribute("data-ready", "true");
})();
