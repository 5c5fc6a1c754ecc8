/* Consent center: embeddable banner. <script src="<center>/consent.js" data-site="<site id>" async></script>
   Texts and categories come from <center>/api/v1/config, the same for everyone and cached; the visitor's state from the
   first-party cc_consent cookie and the browser's privacy signal. The center is asked again only to record a choice
   and to count a banner shown. No framework. See docs/api.md. */
(() => {
  'use strict';
  const d = document, me = d.currentScript;
  if (!me || window.ConsentCenter) return;
  const base = me.src.replace(/\/consent\.js([?#].*)?$/, '');
  const same = new URL(base).origin === location.origin;
  const site = me.dataset.site;
  const lang = me.dataset.lang || d.documentElement.lang || navigator.language || '';
  const NAME = 'cc_consent';
  const TYPES = ['ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage', 'functionality_storage', 'personalization_storage', 'security_storage'];
  // GPC (and DNT, which the center honours too) answers for a visitor who has not decided: everything optional refused, no banner.
  const signal = navigator.globalPrivacyControl === true ? 'global-privacy-control' : navigator.doNotTrack === '1' ? 'do-not-track' : 'none';
  let cfg, state = null, root, gcm = null, answered = 0;

  // The consent cookie stays first-party on this site (browsers block third-party cookies) and goes back in a header.
  // On the center's own pages the server sets it (HttpOnly) and the browser sends it by itself.
  const readCookie = () => {
    const c = d.cookie.split('; ').find(x => x.startsWith(NAME + '='));
    return c ? decodeURIComponent(c.slice(NAME.length + 1)) : '';
  };
  const headers = () => {
    const c = !same && readCookie();
    return c ? { 'Consent-Cookie': c } : {};
  };
  const api = (path, init) => fetch(base + '/api/v1/' + path, init).then(r => r.ok ? r.json() : Promise.reject(r));
  // One key per choice: a post whose answer was lost is sent again with it, and the center stores the choice once.
  const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
  const post = (body, key = newKey(), tries = 3) => api('consents', {
    method: 'POST', headers: Object.assign({ 'Content-Type': 'application/json', 'Idempotency-Key': key }, headers()), body: JSON.stringify(body),
  }).catch(e => tries > 1 && !(e instanceof Response && e.status < 500)
    ? new Promise(ok => setTimeout(ok, 1000)).then(() => post(body, key, tries - 1))
    : Promise.reject(e));
  // "Banner shown", for the statistics: no body, no header, no cookie, so no preflight and nothing that tells visitors apart.
  const seen = () => fetch(base + '/api/v1/banner-views?' + new URLSearchParams(Object.assign(
    { policyVersion: cfg.policyVersion, language: cfg.language }, same ? {} : { site })), { method: 'POST', credentials: 'omit', keepalive: true }).catch(() => {});

  const el = (tag, attrs, ...kids) => {
    const e = d.createElement(tag);
    for (const k in attrs || {}) {
      if (k === 'on') e.addEventListener('click', attrs.on);
      else if (attrs[k] !== false && attrs[k] != null) e.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
    }
    e.append(...kids.filter(k => k != null && k !== false));
    return e;
  };
  const t = k => cfg.texts[k];
  const granted = k => !!state && state.granted.includes(k);
  const fire = name => d.dispatchEvent(new CustomEvent('consentcenter:' + name, { detail: getConsent() }));
  const getConsent = () => state && JSON.parse(JSON.stringify(state));

  // Google Consent Mode v2: every type denied but security_storage until a decision grants more.
  const gtag = function () { window.dataLayer.push(arguments); };
  const gtagTypes = keys => {
    const o = {};
    TYPES.forEach(x => { o[x] = x === 'security_storage' ? 'granted' : 'denied'; });
    keys.forEach(k => (gcm.types[k] || []).forEach(x => { o[x] = 'granted'; }));
    return o;
  };
  const settled = () => state.hasDecision || state.privacySignal !== 'none';
  const keys = () => cfg.categories.map(c => c.key);

  // The cookie is 1.visitor.consent.policy.granted~keys.unixtime.signature; it expires with its decision. The center checks
  // its signature when it records the next choice; here it only says what the visitor chose, and for which policy version.
  const fromCookie = () => {
    const p = readCookie().split('.'), v = p.length === 7 && p[0] === '1' ? +p[3] || 0 : 0, has = v >= cfg.policyVersion;
    const g = has ? keys().filter(k => p[4].split('~').includes(k)) : cfg.categories.filter(c => c.required).map(c => c.key);
    answered = v;
    return { hasDecision: has, policyVersion: cfg.policyVersion, granted: g, denied: has ? keys().filter(k => !g.includes(k)) : [],
      consentId: has ? p[2].replace(/(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-') : null, recordedAt: has ? new Date(p[5] * 1000).toISOString() : null,
      expiresAt: null, answeredOlderPolicy: v > 0 && !has, privacySignal: 'none' };
  };
  // A decision that holds wins over the signal: the visitor chose knowing the question.
  const settle = s => {
    if (!s.hasDecision && s.privacySignal === 'none' && signal !== 'none') {
      s.privacySignal = signal;
      s.denied = keys().filter(k => !s.granted.includes(k));
    }
    return s;
  };
  const gtagUpdate = () => gcm && settled() && gtag('consent', 'update', gtagTypes(state.granted));

  // Gated scripts become real scripts once their category is granted (advanced Consent Mode: Google tags at once,
  // for cookieless pings, unless a privacy signal is honoured); gated iframes get their src. Under an honoured signal
  // only the required categories are granted, so nothing optional runs.
  const apply = () => {
    const pings = gcm && gcm.mode === 'advanced' && state.privacySignal === 'none';
    d.querySelectorAll('script[type="text/plain"][data-consent-category]').forEach(s => {
      if (!granted(s.dataset.consentCategory) && !(pings && s.hasAttribute('data-google-tag'))) return;
      const n = d.createElement('script');
      for (const a of s.attributes) if (a.name !== 'type') n.setAttribute(a.name, a.value);
      if (s.dataset.src) n.src = s.dataset.src;
      else if (!s.src) n.text = s.text;
      s.replaceWith(n);
    });
    d.querySelectorAll('iframe[data-consent-category]').forEach(f => {
      const on = granted(f.dataset.consentCategory);
      if (on && f.dataset.src && !f.getAttribute('src')) f.src = f.dataset.src;
      // Removing src does not unload a frame: a copy without it takes the frame's place.
      if (!on && f.getAttribute('src') && f.dataset.src) {
        const n = f.cloneNode();
        n.removeAttribute('src');
        f.replaceWith(n);
      }
    });
  };

  // Cookies of refused categories are removed: the catalogue's name up to the first space, on this host and its parent.
  const clean = () => {
    const h = location.hostname, p = h.split('.').slice(1).join('.');
    cfg.categories.filter(c => !granted(c.key)).forEach(c => c.cookies.forEach(k => {
      const n = k.name.split(' ')[0];
      ['', h, p.includes('.') && p].forEach(dm => {
        if (dm !== false) d.cookie = n + '=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT' + (dm ? '; domain=' + dm : '');
      });
    }));
  };

  const close = () => { if (root) root.remove(); root = null; };

  // Where the choice was made: the banner or the layer whose button was pressed; a call of the site's own controls
  // (ConsentCenter.*) is a preference change.
  const decide = (method, keys, src) => {
    const body = { method, source: src || 'preference-center', policyVersion: cfg.policyVersion, granted: keys || [], language: cfg.language };
    if (!same) body.site = site;
    return post(body).then(r => {
      const first = !state.hasDecision;
      if (!same) {
        d.cookie = NAME + '=' + encodeURIComponent(r.cookie.value) + '; path=/; SameSite=Lax; expires=' +
          new Date(r.cookie.expires).toUTCString() + (location.protocol === 'https:' ? '; Secure' : '');
      }
      state = r.state;
      answered = state.policyVersion;
      close();
      say(t('saved'));
      apply();
      clean();
      gtagUpdate();
      if (first) fire('consent');
      fire('change');
    }, r => r && r.status === 409 ? load(true).then(() => render(false, 'banner')) : say(t('failed')));
  };

  // A status region in the page from the start (empty), so that screen readers announce what is later said in it.
  const live = el('p', { class: 'cc-sr', role: 'status' });
  const say = m => { live.textContent = m; };

  const optional = () => cfg.categories.filter(c => !c.required).map(c => c.key);
  const render = (open, src) => {
    close();
    live.textContent = '';
    const box = c => {
      const id = 'cc-c-' + c.key;
      return el('div', { class: 'cc-cat' },
        el('div', { class: 'cc-choice' },
          el('input', { type: 'checkbox', id, value: c.key, checked: c.required || granted(c.key), disabled: c.required, 'aria-describedby': id + '-d' }),
          el('label', { for: id }, c.name, c.required && el('span', { class: 'cc-on' }, ' ' + t('alwaysOn')))),
        el('p', { id: id + '-d' }, c.description),
        c.cookies.length > 0 && el('details', null,
          el('summary', null, t('cookiesIn').replace('{0}', c.cookies.length)),
          el('table', null,
            el('thead', null, el('tr', null, ...['supplier', 'cookieName', 'duration', 'function'].map(h => el('th', { scope: 'col' }, t(h))))),
            el('tbody', null, ...c.cookies.map(k => el('tr', null, el('td', null, k.supplier), el('td', null, k.name), el('td', null, k.duration), el('td', null, k.function)))))));
    };
    const layer = el('fieldset', { class: 'cc-layer', hidden: !open },
      el('legend', { tabindex: '-1' }, t('customizeTitle')),
      ...cfg.categories.map(box),
      el('div', { class: 'cc-actions' },
        el('button', { type: 'button', class: 'cc-btn', on: () => decide('custom', optional().filter(k => layer.querySelector('#cc-c-' + k).checked), src) }, t('save')),
        settled() && el('button', { type: 'button', class: 'cc-btn', on: close }, t('close'))));
    const changes = state.answeredOlderPolicy && cfg.changes.filter(c => c.version > answered);
    root = el('section', { class: 'cc-root', role: 'region', 'aria-label': t('regionLabel') },
      el('h2', { id: 'cc-title', tabindex: '-1' }, t('title')),
      changes && el('p', null, el('strong', null, t('policyChanged'))),
      changes && changes.length > 0 && el('div', null, el('p', null, el('strong', null, t('whatChanged'))),
        el('ul', null, ...changes.map(c => el('li', null, c.summary + (c.categories.length ? ' (' + c.categories.join(', ') + ')' : ''))))),
      el('p', null, t('intro') + ' ', el('a', { href: cfg.policyUrl }, t('policyLink'))),
      el('div', { class: 'cc-actions' },
        el('button', { type: 'button', class: 'cc-btn', on: () => decide('accept-all', null, src) }, t('acceptAll')),
        el('button', { type: 'button', class: 'cc-btn', on: () => decide(state.hasDecision ? 'withdrawal' : 'reject-all', null, src) }, t('rejectAll')),
        el('button', { type: 'button', class: 'cc-btn', 'aria-expanded': String(!!open), on: e => {
          layer.hidden = !layer.hidden;
          e.target.setAttribute('aria-expanded', String(!layer.hidden));
          if (!layer.hidden) layer.querySelector('legend').focus();
        } }, t('customize'))),
      layer);
    root.lang = cfg.language;
    root.dataset.src = src;
    root.addEventListener('keydown', e => { if (e.key === 'Escape' && settled()) close(); });
    d.body.prepend(root);
    if (open) root.querySelector('h2').focus();
    if (src === 'banner') seen();
  };

  // The config may come from the browser's cache; after a 409 (a newer policy) it is asked for again. On the center's own
  // pages the cookie is HttpOnly, so the center says the state.
  const load = fresh => api('config?lang=' + encodeURIComponent(lang), { credentials: 'omit', cache: fresh ? 'no-cache' : 'default' }).then(c => {
    cfg = c;
    gcm = c.googleConsentMode && c.googleConsentMode.mode !== 'off' ? c.googleConsentMode : null;
    return same ? api('consents/current', {}) : fromCookie();
  }).then(s => { state = settle(s); });

  const ready = new Promise(r => d.readyState === 'loading' ? d.addEventListener('DOMContentLoaded', r) : r());
  // The styles load with the config, and the banner waits for them: an unstyled banner would flash and then jump.
  const css = new Promise(r => {
    const l = el('link', { rel: 'stylesheet', href: base + '/consent.css' });
    l.onload = l.onerror = r;
    d.head.append(l);
  });
  const loaded = Promise.all([load(), ready, css]).then(() => {
    d.body.append(live);
    if (gcm) {
      window.dataLayer = window.dataLayer || [];
      window.gtag = window.gtag || gtag;
      gtag('consent', 'default', Object.assign(gtagTypes([]), { wait_for_update: 500 }));
      gtagUpdate();
    }
    apply();
    if (!settled()) render(false, 'banner');
  });

  // Changing one category keeps the others as they are; only an optional category of the catalogue can change.
  const change = (key, on) => optional().includes(key)
    ? decide('custom', optional().filter(k => k === key ? on : granted(k)))
    : Promise.reject(new Error('"' + key + '" is not an optional category: ' + optional().join(', ')));
  const after = f => (...a) => loaded.then(() => f(...a));
  window.ConsentCenter = {
    show: after(() => render(true, 'preference-center')),
    getConsent,
    acceptCategory: after(k => change(k, true)),
    rejectCategory: after(k => change(k, false)),
    acceptAll: after(() => decide('accept-all')),
    rejectAll: after(() => decide(state.hasDecision ? 'withdrawal' : 'reject-all')),
  };
})();
