/*! fleetplay drop-in embeds: <script src="https://fleetplay.example/embed.js" async></script> turns every
 * <div data-fleetplay="provider=transfer&op=StopServer&server=…"> on the page into a working playground.
 * Protocol and options: docs/embedding.md. No dependencies; safe to load twice. */
(function () {
  'use strict';
  if (window.fleetplay && window.fleetplay.protocol) {
    window.fleetplay.scan();
    return;
  }

  // Where the playground lives: the folder this script was served from (or data-fleetplay-url on the tag).
  var tag = document.currentScript;
  var BASE = new URL((tag && tag.getAttribute('data-fleetplay-url')) || '.', tag ? tag.src : location.href).href;
  var ORIGIN = new URL(BASE).origin;
  var PREFIX = 'fleetplay:';
  // Heights before the embed has measured itself (its idle height, one column below 720 px), so the page
  // hardly moves when it does.
  var GUESS_NARROW = 1060, GUESS_WIDE = 730;

  // Server-rendered React sites hydrate the page after it has loaded (Docusaurus, whose root is #__docusaurus).
  // An iframe already inside an element React has not taken over yet fails the hydration (React error #418),
  // and React then renders the whole page again; so an element in such a root waits until React has taken it
  // (its `__reactFiber$…` key), for at most HYDRATION_WAIT ms (a page whose scripts failed still gets its embed).
  var HYDRATED_ROOTS = '#__docusaurus';
  var HYDRATION_WAIT = 10000;

  var embeds = [];
  var asked = 0;
  var seen = typeof WeakSet === 'function' ? new WeakSet() : null;

  function awaitingHydration(el) {
    if (!el.closest || !el.closest(HYDRATED_ROOTS)) return false;
    return !Object.keys(el).some(function (k) { return k.indexOf('__reactFiber$') === 0 || k.indexOf('__reactInternalInstance$') === 0; });
  }

  function warn(text) {
    if (window.console) console.warn('fleetplay embed: ' + text);
  }

  /** The host page's theme: the element's own data-fleetplay-theme, a light/dark data-theme or data-bs-theme on
   * <html> or <body> (Docusaurus, pydata-sphinx-theme, Bootstrap, Furo), else the lightness of the first opaque
   * background behind the element (mdBook, MkDocs, Hugo, anything); null when nothing says. */
  function hostTheme(el) {
    var own = el.getAttribute('data-fleetplay-theme');
    if (own === 'light' || own === 'dark') return own;
    var roots = [document.documentElement, document.body];
    for (var i = 0; i < roots.length; i++) {
      var node = roots[i];
      if (!node) continue;
      var t = node.getAttribute('data-theme') || node.getAttribute('data-bs-theme');
      if (t === 'light' || t === 'dark') return t;
    }
    for (var n = el; n && n.nodeType === 1; n = n.parentElement) {
      var rgb = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(getComputedStyle(n).backgroundColor);
      if (rgb && (rgb[4] === undefined || Number(rgb[4]) > 0.5)) {
        var lum = (0.2126 * rgb[1] + 0.7152 * rgb[2] + 0.0722 * rgb[3]) / 255;
        return lum < 0.5 ? 'dark' : 'light';
      }
    }
    return null;
  }

  /** The embed URL for an element: its settings, the host's origin (so it may drive the embed and hear
   * back) and its theme. */
  function embedUrl(el, theme) {
    var settings = new URLSearchParams(el.getAttribute('data-fleetplay') || '');
    var url = new URL(el.getAttribute('data-fleetplay-url') || BASE, location.href);
    var query = new URLSearchParams();
    query.append('embed', '');
    settings.forEach(function (value, name) {
      if (name !== 'embed' && name !== 'origin' && name !== 'theme') query.append(name, value);
    });
    if (settings.has('theme')) query.append('theme', settings.get('theme'));
    else if (theme) query.append('theme', theme);
    if (location.origin && location.origin !== 'null') query.append('origin', location.origin);
    else warn('this page has no origin (opened as a file?), so the embed cannot talk to it; serve the page over http(s)');
    url.search = query.toString().replace('embed=&', 'embed&');
    return url;
  }

  function Embed(el) {
    this.element = el;
    this.iframe = null;
    this.origin = ORIGIN;
    this.isReady = false;
    this.theme = undefined;
    this.fixedTheme = new URLSearchParams(el.getAttribute('data-fleetplay') || '').has('theme');
    this._handlers = {};
    this._queue = [];
    this._pending = [];
    var self = this;
    this.ready = new Promise(function (resolve) { self._resolveReady = resolve; });
    el.fleetplay = this;
  }

  /** Creates the iframe (once); the embed is created when it comes near the viewport, or when a script
   * first talks to it. */
  Embed.prototype.create = function () {
    if (this.iframe) return this;
    var el = this.element;
    if (awaitingHydration(el)) {
      var self = this;
      this._since = this._since || Date.now();
      if (Date.now() - this._since < HYDRATION_WAIT) {
        if (!this._retry) {
          this._retry = setTimeout(function () {
            self._retry = 0;
            if (document.documentElement.contains(el)) self.create();
          }, 50);
        }
        return this;
      }
    }
    var settings = new URLSearchParams(el.getAttribute('data-fleetplay') || '');
    this.theme = this.fixedTheme ? settings.get('theme') : hostTheme(el);
    var url = embedUrl(el, this.theme);
    this.origin = url.origin;
    var f = document.createElement('iframe');
    f.src = url.href;
    f.title = el.getAttribute('data-fleetplay-title') || 'fleetplay: try ' + (settings.get('op') || 'the API') + ' in a simulated fleet';
    f.setAttribute('allow', 'clipboard-write');
    f.style.cssText = 'display:block;width:100%;border:0;overflow:hidden;';
    f.style.height = (el.clientWidth && el.clientWidth < 720 ? GUESS_NARROW : GUESS_WIDE) + 'px';
    // The iframe's colour scheme must match the embed's, or the browser paints an opaque backdrop behind a
    // transparent embed.
    f.style.colorScheme = this.theme || 'light dark';
    el.textContent = '';
    el.appendChild(f);
    this.iframe = f;
    // Anything the element asks for up front: a scenario, then a prefilled request.
    var scenario = el.getAttribute('data-fleetplay-scenario');
    var request = el.getAttribute('data-fleetplay-request');
    if (scenario) this.loadScenario(scenario)['catch'](function (e) { warn(e.message); });
    if (request) this.prefill(request)['catch'](function (e) { warn(e.message); });
    return this;
  };

  /** Queues a message for the embed; messages go out in order once it is ready. */
  Embed.prototype._post = function (message) {
    this.create();
    this._queue.push({ message: message });
    this._flush();
  };

  /** Sends a message that the embed answers with `fleetplay:<answer>` or `fleetplay:error`, matched by the
   * `id` the embed echoes. */
  Embed.prototype._ask = function (message, answer) {
    var self = this;
    message.id = 'fp' + ++asked;
    return new Promise(function (resolve, reject) {
      self._pending.push({ id: message.id, answer: answer, resolve: resolve, reject: reject });
      self._post(message);
    });
  };

  /** Starts again at T+0 from a scenario: an object, its JSON text, "builtin", or the URL of a JSON file
   * (fetched by this page, so relative to it). */
  Embed.prototype.loadScenario = function (scenario) {
    var message = { type: PREFIX + 'load-scenario', scenario: scenario };
    if (typeof scenario !== 'string' || scenario === 'builtin' || /^\s*\{/.test(scenario)) return this._ask(message, 'ack');
    // A file: its place in the queue is kept while it is fetched, so a prefill asked for next waits for it.
    var self = this;
    var where = new URL(scenario, location.href).href;
    var slot = { message: null };
    this.create();
    this._queue.push(slot);
    message.id = 'fp' + ++asked;
    var answered = new Promise(function (resolve, reject) {
      self._pending.push({ id: message.id, answer: 'ack', resolve: resolve, reject: reject });
    });
    var give = function (m) { slot.message = m; self._flush(); };
    return fetch(where).then(function (r) {
      if (!r.ok) throw new Error('the scenario ' + where + ' could not be loaded (HTTP ' + r.status + ')');
      return r.text();
    }).then(function (text) {
      message.scenario = text;
      give(message);
      return answered;
    }, function (e) {
      self._settle(message.id);
      give(false);
      throw e instanceof Error && /could not be loaded/.test(e.message) ? e : new Error('the scenario ' + where + ' could not be loaded: ' + e);
    });
  };

  /** Puts a request in the composer: raw HTTP text, or {method, target, headers, body}. */
  Embed.prototype.prefill = function (request) {
    var message = typeof request === 'string' ? { type: PREFIX + 'prefill', raw: request } : { type: PREFIX + 'prefill', request: request };
    return this._ask(message, 'ack');
  };

  /** Sends the composer's request; resolves with the exchange (status, headers, body, events, diagnosis). */
  Embed.prototype.send = function () {
    return this._ask({ type: PREFIX + 'send' }, 'exchange').then(function (m) { return m.exchange; });
  };

  /** Listens to `ready`, `exchange`, `event`, `ack`, `error` or `resize` (the message without its prefix);
   * returns a function that stops listening. The element also gets a DOM event `fleetplay:<name>`. */
  Embed.prototype.on = function (name, handler) {
    var list = this._handlers[name] || (this._handlers[name] = []);
    list.push(handler);
    var self = this;
    return function () { self.off(name, handler); };
  };

  Embed.prototype.off = function (name, handler) {
    var list = this._handlers[name] || [];
    var i = list.indexOf(handler);
    if (i >= 0) list.splice(i, 1);
  };

  /** Follows the host's theme while the page runs. */
  Embed.prototype.setTheme = function (theme) {
    if (!this.iframe || this.fixedTheme || theme === this.theme) return;
    this.theme = theme;
    this.iframe.style.colorScheme = theme || 'light dark';
    this._post({ type: PREFIX + 'theme', theme: theme });
  };

  Embed.prototype._flush = function () {
    while (this.isReady && this._queue.length && this._queue[0].message !== null) {
      var message = this._queue.shift().message;
      if (message) this.iframe.contentWindow.postMessage(message, this.origin);
    }
  };

  /** Takes the pending question a reply answers: the one with its `id`, else (an embed that does not echo
   * ids) the oldest one waiting for that kind of answer. */
  Embed.prototype._settle = function (id, answer) {
    for (var i = 0; i < this._pending.length; i++) {
      var p = this._pending[i];
      if (id !== undefined ? p.id === id : !answer || p.answer === answer) return this._pending.splice(i, 1)[0];
    }
    return null;
  };

  Embed.prototype._receive = function (m) {
    var name = m.type.slice(PREFIX.length);
    var waiting = null;
    if (name === 'resize') {
      var h = Number(m.height);
      if (h > 0 && h < 100000) this.iframe.style.height = Math.ceil(h) + 'px';
    } else if (name === 'ready') {
      this.isReady = true;
      this._resolveReady(m);
      var theme = this.fixedTheme ? this.theme : hostTheme(this.element);
      if (theme !== this.theme) this.setTheme(theme);
      this._flush();
    } else if (name === 'error') {
      waiting = this._settle(m.id);
      if (waiting) waiting.reject(new Error(m.error));
    } else if (name === 'ack' || name === 'exchange') {
      waiting = this._settle(m.id, name);
      if (waiting) waiting.resolve(m);
    }
    var detail = name === 'exchange' ? m.exchange : name === 'event' ? m.event : m;
    (this._handlers[name] || []).slice().forEach(function (h) {
      try { h(detail); } catch (e) { setTimeout(function () { throw e; }); }
    });
    if (typeof CustomEvent === 'function') {
      this.element.dispatchEvent(new CustomEvent(m.type, { detail: detail }));
    }
    if (name === 'error' && !waiting && !(this._handlers.error || []).length) warn(m.error);
  };

  // One listener for every embed on the page: a message belongs to the embed whose window sent it.
  window.addEventListener('message', function (e) {
    var m = e.data;
    if (!m || typeof m !== 'object' || typeof m.type !== 'string' || m.type.indexOf(PREFIX) !== 0) return;
    for (var i = 0; i < embeds.length; i++) {
      var x = embeds[i];
      if (x.iframe && e.source === x.iframe.contentWindow) {
        if (e.origin === x.origin) x._receive(m);
        return;
      }
    }
  });

  var near = typeof IntersectionObserver === 'function'
    ? new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          near.unobserve(entry.target);
          entry.target.fleetplay.create();
        }
      });
    }, { rootMargin: '800px 0px' })
    : null;

  /** Finds new `[data-fleetplay]` elements (pages that add content later, such as single-page docs sites). */
  function scan() {
    var found = document.querySelectorAll('[data-fleetplay]');
    for (var i = 0; i < found.length; i++) {
      var el = found[i];
      if (el.tagName === 'SCRIPT' || el.tagName === 'IFRAME' || (seen ? seen.has(el) : el.fleetplay)) continue;
      if (seen) seen.add(el);
      var x = new Embed(el);
      embeds.push(x);
      if (near) near.observe(el);
      else x.create();
    }
    // Forget embeds whose element left the page.
    embeds = embeds.filter(function (x) { return document.documentElement.contains(x.element); });
  }

  function followTheme() {
    embeds.forEach(function (x) { x.setTheme(hostTheme(x.element)); });
  }

  var themeTimer = 0;
  function themeChanged() {
    followTheme();
    // Sites fade their background between themes; look again once that is over.
    clearTimeout(themeTimer);
    themeTimer = setTimeout(followTheme, 600);
  }

  function start() {
    scan();
    if (typeof MutationObserver === 'function') {
      var pending = false;
      new MutationObserver(function () {
        if (pending) return;
        pending = true;
        setTimeout(function () { pending = false; scan(); }, 50);
      }).observe(document.documentElement, { childList: true, subtree: true });
      var roots = new MutationObserver(themeChanged);
      roots.observe(document.documentElement, { attributes: true });
      if (document.body) roots.observe(document.body, { attributes: true });
    }
    if (window.matchMedia) {
      var media = window.matchMedia('(prefers-color-scheme: dark)');
      if (media.addEventListener) media.addEventListener('change', themeChanged);
    }
  }

  window.fleetplay = {
    protocol: 1,
    /** The playground this script came from. */
    url: BASE,
    /** Looks for new embed elements now. */
    scan: scan,
    /** The embed object of an element (or of the element with this id), creating it if needed. */
    get: function (target) {
      var el = typeof target === 'string' ? document.getElementById(target) : target;
      if (!el || !el.hasAttribute('data-fleetplay')) return null;
      if (!el.fleetplay) scan();
      return el.fleetplay ? el.fleetplay.create() : null;
    },
    /** Every embed on the page, in document order of discovery. */
    all: function () { return embeds.slice(); },
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
