// Personal-data guard on the phone: finds HETUs, phone numbers, e-mail
// addresses, street addresses and names in a case story before it is sent.
// The server runs the same rules again (facilitation/cases/guard.py); the two
// must agree, and tests/unit/test_guard_js.py checks that they do. Change one,
// change the other. Kinds and the rules for each are described in guard.py.
//
//   PersonalDataGuard.load(url)      -> Promise (the names and street data; url
//                                       defaults to static/data/guard-names.json
//                                       next to this script)
//   PersonalDataGuard.scan(text)     -> [{kind, start, end, text}] (UTF-16 indices)
//   PersonalDataGuard.highlight(container, text, findings)
//
// Before the data has loaded, scan() still finds HETUs, phone numbers, e-mail
// addresses and postal codes with a town, but no names or street addresses.
// Plain script, no dependencies; the regular expressions need the u flag.
(function (root) {
  "use strict";

  // The patterns, with <TOKENS> for character classes: the same templates and
  // tokens as in guard.py, whose expanded patterns these must equal.
  var TOKENS = [
    ["<WORD>", "0-9A-Za-z_\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F\\u0370-\\u03FF\\u0400-\\u04FF"],
    ["<LETTER>", "A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F"],
    ["<UPPER>", "A-Z\\u00C0-\\u00D6\\u00D8-\\u00DE\\u0106\\u010C\\u0110\\u011E\\u0130\\u0141\\u0143\\u0150" +
      "\\u015A\\u015E\\u0160\\u0162\\u0170\\u0179\\u017B\\u017D"],
    ["<LOWER>", "a-z\\u00DF-\\u00F6\\u00F8-\\u00FF\\u0100-\\u017F"],
    ["<LATIN1>", "\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u00FF"],
    ["<TOWN>", "A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u017F"],
    ["<SP>", " \\u00A0"],
    ["<NUM_END>", "(?![0-9]|[.,:][0-9])"]
  ];
  var TEMPLATES = {
    hetu: "([0-9]{2})([0-9]{2})([0-9]{2})([-+A-FU-Ya-fu-y])([0-9]{3})([0-9A-Za-z])(?![<WORD>])",
    email_at: "@|[<SP>]?[(\\[]at[)\\]][<SP>]?",
    email_char: "[A-Za-z0-9_%+\\-.<LATIN1>]",
    email_domain: "(?:[A-Za-z0-9<LATIN1>](?:[A-Za-z0-9\\-<LATIN1>]*[A-Za-z0-9<LATIN1>])?\\.)+" +
      "[A-Za-z]{2,24}(?![A-Za-z0-9\\-<LATIN1>])",
    phone_fi: "(?:\\(0[1-9][0-9]{0,3}\\)[<SP>]?[0-9]{2,10}|0[1-9][0-9]{0,12})" +
      "(?:(?:[<SP>]?-[<SP>]?|[<SP>])[0-9]{2,10}){0,4}(?![<WORD>]|[.,:/][0-9])",
    phone_intl: "(?:\\+|00)[1-9][0-9]{0,13}(?:[<SP>]?\\(0\\)[<SP>]?[0-9]{1,12})?" +
      "(?:[<SP>\\-][0-9]{1,12})?(?:(?:[<SP>]?-[<SP>]?|[<SP>])[0-9]{2,12}){0,5}" +
      "(?![<WORD>]|[.,:/][0-9])",
    street: "([<UPPER>][<LOWER>]*(?:-[<UPPER>]?[<LOWER>]+)*)" +
      "[<SP>]+[1-9][0-9]{0,3}(?:[<SP>]?[-\\u2013][<SP>]?[1-9][0-9]{0,3})?<NUM_END>" +
      "(?:[<SP>]?[A-Ha-h](?![<WORD>])(?:[<SP>]?(?:(?:as|lgh|bst)\\.?[<SP>]?)?[1-9][0-9]{0,2}" +
      "<NUM_END>)?|[<SP>]+(?:as|lgh|bst)\\.?[<SP>]?[1-9][0-9]{0,2}<NUM_END>)?",
    postal: "(?:FI-?)?[0-9]{5}[<SP>]+([<UPPER>][<TOWN>]+(?:-[<UPPER>][<TOWN>]+)?)(?![<WORD>])",
    word: "[<UPPER>][<LOWER>]+(?:-[<UPPER>][<LOWER>]+)*(?![<WORD>])",
    date: "0[1-9][<SP>\\-]+(?:0?[1-9]|1[0-2])[<SP>\\-]+(?:19|20)[0-9]{2}",
    trailing_group: "[<SP>\\-]+[0-9]+$",
    spaces: "[<SP>]+",
    word_char: "[<WORD>]",
    letter: "[<LETTER>]"
  };
  var SOURCES = {};
  Object.keys(TEMPLATES).forEach(function (key) {
    var source = TEMPLATES[key];
    TOKENS.forEach(function (token) {
      source = source.split(token[0]).join(token[1]);
    });
    SOURCES[key] = source;
  });

  // Searching patterns get "g" (exec from lastIndex); whole-string tests are anchored.
  var FIND = {};
  ["hetu", "email_at", "phone_fi", "phone_intl", "street", "postal", "word"].forEach(function (key) {
    FIND[key] = new RegExp(SOURCES[key], "gu");
  });
  var WHOLE = {};
  ["date", "spaces", "word_char", "letter", "email_char"].forEach(function (key) {
    WHOLE[key] = new RegExp("^(?:" + SOURCES[key] + ")$", "u");
  });
  var TRAILING_GROUP = new RegExp(SOURCES.trailing_group, "u");
  var EMAIL_DOMAIN = new RegExp(SOURCES.email_domain, "uy"); // sticky: at lastIndex only

  var PRIORITY = ["hetu", "hetu_like", "email", "phone", "address", "name"];
  var HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY";
  var CENTURY = { "+": 1800, "-": 1900, U: 1900, V: 1900, W: 1900, X: 1900, Y: 1900,
    A: 2000, B: 2000, C: 2000, D: 2000, E: 2000, F: 2000 };
  var VOWELS = "aeiouy\u00e4\u00f6\u00e5";
  var SENTENCE_SKIP = " \t\u00a0\u202f\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e([";
  var SENTENCE_END = ".!?:\u2026";
  var SPACES = " \t\u00a0\u202f";
  var NEWLINES = "\n\r\u2028\u2029";

  var data = null;
  var loads = {};

  function has(chars, ch) {
    return ch !== "" && chars.indexOf(ch) !== -1;
  }

  function norm(word) {
    return word.toLowerCase().replace(/\u0307/g, "");
  }

  function set(items) {
    var out = Object.create(null);
    (items || []).forEach(function (item) {
      out[norm(item)] = true;
    });
    return out;
  }

  function byLength(items) {
    var seen = Object.create(null);
    var out = [];
    items.forEach(function (item) {
      var key = norm(item);
      if (!seen[key]) {
        seen[key] = true;
        out.push(key);
      }
    });
    return out.sort(function (a, b) {
      return b.length - a.length || (a < b ? -1 : a > b ? 1 : 0);
    });
  }

  // The JSON file's content, normalised for look-ups (as guard.py's prepare does).
  function prepare(raw) {
    var names = [];
    Object.keys(raw).forEach(function (key) {
      if (/^[a-z]{2,3}$/.test(key) && Array.isArray(raw[key])) names = names.concat(raw[key]);
    });
    var suffixes = [];
    var groups = raw.street_suffixes || {};
    Object.keys(groups).forEach(function (key) {
      suffixes = suffixes.concat(groups[key]);
    });
    return {
      names: set(names),
      notNames: set(raw.not_names),
      endings: byLength(raw.case_endings || []),
      abbreviations: set(raw.abbreviations),
      streetSuffixes: byLength(suffixes),
      notStreets: set(raw.not_streets),
      notTownEndings: byLength(raw.not_town_endings || [])
    };
  }

  function endsWith(word, ending) {
    return word.length >= ending.length && word.slice(word.length - ending.length) === ending;
  }

  function anyEnding(word, endings) {
    for (var i = 0; i < endings.length; i++) {
      if (endsWith(word, endings[i])) return true;
    }
    return false;
  }

  // -- helpers ---------------------------------------------------------------

  // Every accepted match, left to right; a refused one is retried one
  // character further on. accept returns [start, end, kind] or null.
  function matches(key, text, accept) {
    var pattern = FIND[key];
    var out = [];
    var pos = 0;
    while (pos <= text.length) {
      pattern.lastIndex = pos;
      var m = pattern.exec(text);
      if (m === null) break;
      var found = accept(m);
      if (found === null) {
        pos = m.index + 1;
      } else {
        out.push(found);
        pos = Math.max(found[1], m.index + 1);
      }
    }
    return out;
  }

  function wordBefore(text, start) {
    return start > 0 && WHOLE.word_char.test(text.charAt(start - 1));
  }

  function isDigit(ch) {
    return ch >= "0" && ch <= "9" && ch.length === 1;
  }

  function numberStartOk(text, start) {
    if (wordBefore(text, start)) return false;
    if (start >= 2 && has(".,:/", text.charAt(start - 1)) && isDigit(text.charAt(start - 2))) {
      return false;
    }
    return true;
  }

  function daysInMonth(year, month) {
    if (month === 2) {
      var leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
      return leap ? 29 : 28;
    }
    return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  }

  // -- detectors -------------------------------------------------------------

  function hetus(text) {
    return matches("hetu", text, function (m) {
      if (wordBefore(text, m.index)) return null;
      var day = parseInt(m[1], 10);
      var month = parseInt(m[2], 10);
      if (!(day >= 1 && day <= 31 && month >= 1 && month <= 12)) return null;
      var year = CENTURY[m[4].toUpperCase()] + parseInt(m[3], 10);
      var serial = parseInt(m[5], 10);
      var check = HETU_CHECK.charAt(parseInt(m[1] + m[2] + m[3] + m[5], 10) % 31);
      var valid = day <= daysInMonth(year, month) && serial >= 2 && serial <= 899 &&
        m[6].toUpperCase() === check;
      return [m.index, m.index + m[0].length, valid ? "hetu" : "hetu_like"];
    });
  }

  // Found from the "@" (or "(at)", "[at]"): the local part is read backwards,
  // so a long run of letters without an "@" costs linear time.
  function emails(text) {
    if (text.indexOf("@") === -1 && text.indexOf("(at)") === -1 && text.indexOf("[at]") === -1) {
      return [];
    }
    var found = [];
    var done = 0;
    var pos = 0;
    var sep = FIND.email_at;
    for (;;) {
      sep.lastIndex = pos;
      var at = sep.exec(text);
      if (at === null) return found;
      var atStart = at.index;
      var atEnd = at.index + at[0].length;
      pos = atStart + 1;
      var start = atStart;
      while (start > done && WHOLE.email_char.test(text.charAt(start - 1))) start--;
      var local = text.slice(start, atStart);
      var cut = local.lastIndexOf("..");
      if (cut !== -1) local = local.slice(cut + 2);
      local = local.replace(/^\.+/, "");
      if (!local || local.charAt(local.length - 1) === ".") continue;
      EMAIL_DOMAIN.lastIndex = atEnd;
      var domain = EMAIL_DOMAIN.exec(text);
      if (domain === null) continue;
      var end = atEnd + domain[0].length;
      found.push([atStart - local.length, end, "email"]);
      done = pos = end;
    }
  }

  function phoneDigits(number, international) {
    if (international) {
      number = number.split("(0)").join("");
      if (number.slice(0, 2) === "00") number = number.slice(2);
    }
    var count = 0;
    for (var i = 0; i < number.length; i++) {
      if (isDigit(number.charAt(i))) count++;
    }
    return count;
  }

  function phones(text, international) {
    var low = 8;
    var high = international ? 15 : 12;
    return matches(international ? "phone_intl" : "phone_fi", text, function (m) {
      if (!numberStartOk(text, m.index)) return null;
      var number = m[0];
      while (phoneDigits(number, international) > high) {
        var tail = TRAILING_GROUP.exec(number);
        if (tail === null || tail.index === 0) return null;
        number = number.slice(0, tail.index);
      }
      if (phoneDigits(number, international) < low) return null;
      if (!international && WHOLE.date.test(number)) return null;
      return [m.index, m.index + number.length, "phone"];
    });
  }

  function addresses(text) {
    var streets = matches("street", text, function (m) {
      if (wordBefore(text, m.index)) return null;
      var word = norm(m[1]);
      if (data.notStreets[word] === true) return null;
      if (!anyEnding(word, data.streetSuffixes)) return null;
      return [m.index, m.index + m[0].length, "address"];
    });
    return streets.concat(postals(text));
  }

  function postals(text) {
    var notTownEndings = data ? data.notTownEndings : [];
    return matches("postal", text, function (m) {
      if (wordBefore(text, m.index)) return null;
      if (anyEnding(norm(m[1]), notTownEndings)) return null;
      return [m.index, m.index + m[0].length, "address"];
    });
  }

  function stems(word) {
    var out = [];
    data.endings.forEach(function (ending) {
      if (word.length - ending.length >= 2 && endsWith(word, ending)) {
        var stem = word.slice(0, word.length - ending.length);
        out.push(stem);
        var n = stem.length;
        if (n >= 3 && has(VOWELS, stem.charAt(n - 1)) && has("kpt", stem.charAt(n - 2)) &&
            stem.charAt(n - 3) !== stem.charAt(n - 2)) {
          out.push(stem.slice(0, n - 1) + stem.charAt(n - 2) + stem.charAt(n - 1));
        }
      }
    });
    return out;
  }

  function inSet(target, items) {
    for (var i = 0; i < items.length; i++) {
      if (target[items[i]] === true) return true;
    }
    return false;
  }

  function isNotName(word) {
    var w = norm(word);
    return data.notNames[w] === true || inSet(data.notNames, stems(w));
  }

  function nameForm(word) {
    if (isNotName(word)) return null;
    var w = norm(word);
    if (data.names[w] === true || (w.indexOf("-") !== -1 && data.names[w.split("-")[0]] === true)) {
      return "base";
    }
    return inSet(data.names, stems(w)) ? "inflected" : null;
  }

  function sentenceStart(text, start) {
    var i = start;
    var spaced = false;
    while (i > 0 && has(SENTENCE_SKIP, text.charAt(i - 1))) {
      spaced = spaced || has(SPACES, text.charAt(i - 1));
      i--;
    }
    if (i === 0 || has(NEWLINES, text.charAt(i - 1))) return true;
    if (!has(SENTENCE_END, text.charAt(i - 1)) || !spaced) return false;
    if (text.charAt(i - 1) === ".") {
      var k = i - 1;
      while (k > 0 && WHOLE.letter.test(text.charAt(k - 1))) k--;
      var before = text.slice(k, i - 1);
      if (before && (before.length === 1 || data.abbreviations[norm(before)] === true)) return false;
    }
    return true;
  }

  function names(text) {
    var tokens = matches("word", text, function (m) {
      if (wordBefore(text, m.index)) return null;
      return [m.index, m.index + m[0].length, "word"];
    });
    var out = [];
    var i = 0;
    while (i < tokens.length) {
      var start = tokens[i][0];
      var form = nameForm(text.slice(start, tokens[i][1]));
      if (form === null) {
        i++;
        continue;
      }
      var j = i;
      while (j + 1 < tokens.length && j - i < 2 &&
             WHOLE.spaces.test(text.slice(tokens[j][1], tokens[j + 1][0])) &&
             !isNotName(text.slice(tokens[j + 1][0], tokens[j + 1][1]))) {
        j++;
      }
      if (sentenceStart(text, start) && !(form === "base" && j > i)) {
        i++;
        continue;
      }
      out.push([start, tokens[j][1], "name"]);
      i = j + 1;
    }
    return out;
  }

  function merge(candidates, text) {
    var ordered = candidates.slice().sort(function (a, b) {
      return PRIORITY.indexOf(a[2]) - PRIORITY.indexOf(b[2]) || a[0] - b[0] ||
        (b[1] - b[0]) - (a[1] - a[0]);
    });
    var kept = [];
    ordered.forEach(function (c) {
      for (var i = 0; i < kept.length; i++) {
        if (!(c[1] <= kept[i][0] || c[0] >= kept[i][1])) return;
      }
      kept.push(c);
    });
    kept.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1];
    });
    return kept.map(function (c) {
      return { kind: c[2], start: c[0], end: c[1], text: text.slice(c[0], c[1]) };
    });
  }

  // -- API -------------------------------------------------------------------

  function scan(text) {
    text = text == null ? "" : String(text);
    if (!text) return [];
    var candidates = hetus(text).concat(
      emails(text),
      phones(text, false),
      phones(text, true),
      data ? addresses(text) : postals(text),
      data ? names(text) : []
    );
    return merge(candidates, text);
  }

  // Fills container with the text, each finding in <mark class="pd pd--KIND"
  // data-kind="KIND">. DOM nodes only: the text is never parsed as HTML.
  function highlight(container, text, findings) {
    var doc = container.ownerDocument || root.document;
    text = text == null ? "" : String(text);
    while (container.firstChild) container.removeChild(container.firstChild);
    var sorted = (findings || []).slice().sort(function (a, b) {
      return a.start - b.start || a.end - b.end;
    });
    var pos = 0;
    sorted.forEach(function (f) {
      if (f.start < pos || f.end > text.length || f.start >= f.end) return;
      if (f.start > pos) container.appendChild(doc.createTextNode(text.slice(pos, f.start)));
      var kind = String(f.kind).replace(/[^a-z_]/g, "");
      var mark = doc.createElement("mark");
      mark.className = "pd pd--" + kind;
      mark.setAttribute("data-kind", kind);
      mark.appendChild(doc.createTextNode(text.slice(f.start, f.end)));
      container.appendChild(mark);
      pos = f.end;
    });
    if (pos < text.length) container.appendChild(doc.createTextNode(text.slice(pos)));
    return container;
  }

  function fetchJson(url) {
    if (typeof root.fetch === "function") {
      return root.fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("guard data: HTTP " + response.status);
        return response.json();
      });
    }
    return new Promise(function (resolve, reject) {
      var xhr = new root.XMLHttpRequest();
      xhr.open("GET", url);
      xhr.onload = function () {
        if (xhr.status < 200 || xhr.status >= 300) {
          reject(new Error("guard data: HTTP " + xhr.status));
          return;
        }
        try {
          resolve(JSON.parse(xhr.responseText));
        } catch (err) {
          reject(err);
        }
      };
      xhr.onerror = function () {
        reject(new Error("guard data: network error"));
      };
      xhr.send();
    });
  }

  var script = root.document && root.document.currentScript;
  var defaultUrl = script && script.src ?
    script.src.replace(/\/js\/guard\.js(\?.*)?$/, "/data/guard-names.json") : null;

  // Loads the names and street data once per URL; resolves to the API.
  function load(url) {
    url = url || defaultUrl;
    if (!url) return Promise.reject(new Error("guard data: no URL"));
    if (!loads[url]) {
      loads[url] = fetchJson(url).then(function (raw) {
        setData(raw);
        return api;
      });
      loads[url]["catch"](function () {
        delete loads[url]; // let a later call try again
      });
    }
    return loads[url];
  }

  // The data already parsed (tests; pages that inline it).
  function setData(raw) {
    data = prepare(raw);
    return api;
  }

  var api = {
    load: load,
    setData: setData,
    isLoaded: function () {
      return data !== null;
    },
    scan: scan,
    highlight: highlight,
    kinds: PRIORITY.slice(),
    sources: SOURCES
  };
  root.PersonalDataGuard = api;
})(typeof window !== "undefined" ? window : this);
