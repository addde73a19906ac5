/*
 * Relevance in the browser: shows and hides questions while the form is filled in.
 *
 * Progressive enhancement only. The server evaluates the same rules (survey/expr.py) and
 * decides what is stored; without JavaScript every question stays visible. The rules arrive
 * as trees from survey.expr.to_json in each wrapper's data-relevant attribute, and are
 * evaluated here with exactly the rules of survey.expr.evaluate. No eval, no Function, no
 * libraries; loaded as an external file because the CSP forbids inline scripts.
 *
 * DOM contract:
 *   <div data-question="NAME" data-relevant='{"type": "op", ...}'> ...inputs... </div>
 *   inputs are named NAME (checkboxes of a multiple choice share it), matrix cells NAME-ROW,
 *   yes/no questions are radios with the values "y" and "n" (data-kind="boolean" on the
 *   wrapper makes that explicit); the answers from other pages that some rule reads are
 *   JSON in <script type="application/json" id="lagesbild-answers">.
 * A question that is not relevant gets `hidden`, and its inputs `disabled` so that they are
 * not submitted; a hidden question counts as unanswered for the rules of the others.
 */
(function () {
  'use strict';

  var NUMERIC = /^-?[0-9]+(\.[0-9]+)?$/;
  var ARITHMETIC = ['+', '-', '*', '/'];

  function own(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : null;
  }

  function isPlainObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  function isEmpty(value) {
    if (value === null || value === undefined) return true;
    if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
    if (isPlainObject(value)) return Object.keys(value).length === 0;
    return false;
  }

  /* An answer as the language sees it: unanswered ('', [], {}, missing) is null. */
  function answer(value) {
    return isEmpty(value) ? null : value;
  }

  /* Numbers and numeric strings as numbers; anything else (booleans too) is null. */
  function number(value) {
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
    return null;
  }

  function truthy(value) {
    if (value === null || value === undefined) return false;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
    if (typeof value === 'string' || Array.isArray(value)) return value.length > 0;
    if (isPlainObject(value)) return Object.keys(value).length > 0;
    return true;
  }

  function equal(a, b) {
    if (a === null || b === null) return a === null && b === null;
    var x = number(a);
    var y = number(b);
    if (x !== null && y !== null) return x === y;
    if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
    if (typeof a === 'string' && typeof b === 'string') return a === b;
    if (Array.isArray(a) && Array.isArray(b)) {
      return a.length === b.length && a.every(function (item, i) { return equal(item, b[i]); });
    }
    if (isPlainObject(a) && isPlainObject(b)) {
      var keys = Object.keys(a);
      return keys.length === Object.keys(b).length && keys.every(function (key) {
        return Object.prototype.hasOwnProperty.call(b, key) && equal(a[key], b[key]);
      });
    }
    return false;
  }

  function order(op, a, b) {
    var x = number(a);
    var y = number(b);
    if (x !== null && y !== null) {
      a = x;
      b = y;
    } else if (typeof a !== 'string' || typeof b !== 'string') {
      return false;
    }
    if (op === '<') return a < b;
    if (op === '<=') return a <= b;
    if (op === '>') return a > b;
    return a >= b;
  }

  function compare(op, a, b) {
    if (a === null || b === null) return false;
    if (op === '=') return equal(a, b);
    if (op === '!=') return !equal(a, b);
    if (op === 'in' || op === 'not in') {
      if (!Array.isArray(b)) return false;
      var found = b.some(function (item) { return equal(a, item); });
      return op === 'in' ? found : !found;
    }
    return order(op, a, b);
  }

  function arithmetic(op, left, right) {
    var a = number(left);
    var b = number(right);
    if (a === null || b === null) return null;
    if (op === '+') return a + b;
    if (op === '-') return a - b;
    if (op === '*') return a * b;
    return b === 0 ? null : a / b;
  }

  function today() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    return now.getFullYear() + '-' + pad(now.getMonth() + 1) + '-' + pad(now.getDate());
  }

  var CALLS = {
    empty: function (value) { return isEmpty(value); },
    selected: function (value, option) {
      if (value === null || option === null) return false;
      if (Array.isArray(value)) return value.some(function (item) { return equal(item, option); });
      return equal(value, option);
    },
    count: function (value) {
      if (value === null) return 0;
      if (Array.isArray(value)) return value.length;
      if (isPlainObject(value)) {
        return Object.keys(value).filter(function (key) { return !isEmpty(value[key]); }).length;
      }
      return 1;
    },
    length: function (value) {
      if (value === null) return 0;
      if (typeof value === 'string') return Array.from(value.replace(/\r\n/g, '\n')).length;
      return null;
    },
    today: today,
  };
  var ARITY = { empty: 1, selected: 2, count: 1, length: 1, today: 0 };

  function isNull(node) {
    return node.type === 'literal' && node.value === null;
  }

  /* The value of a to_json tree; mirrors survey.expr.evaluate. */
  function evaluate(node, answers, selfValue) {
    if (selfValue === undefined) selfValue = null;
    var ev = function (child) { return evaluate(child, answers, selfValue); };
    switch (node.type) {
      case 'literal':
        return node.value === undefined ? null : node.value;
      case 'list':
        return node.items.map(ev);
      case 'ref':
        return answer(own(answers, node.name));
      case 'cell': {
        var matrix = own(answers, node.name);
        return isPlainObject(matrix) ? answer(own(matrix, node.row)) : null;
      }
      case 'self':
        return answer(selfValue);
      case 'not':
        return !truthy(ev(node.operand));
      case 'neg': {
        var n = number(ev(node.operand));
        return n === null ? null : -n;
      }
      case 'op': {
        if (node.op === 'and') return truthy(ev(node.left)) && truthy(ev(node.right));
        if (node.op === 'or') return truthy(ev(node.left)) || truthy(ev(node.right));
        var a = ev(node.left);
        var b = ev(node.right);
        if ((node.op === '=' || node.op === '!=') && (isNull(node.left) || isNull(node.right))) {
          return (a === null && b === null) === (node.op === '=');
        }
        if (ARITHMETIC.indexOf(node.op) >= 0) return arithmetic(node.op, a, b);
        return compare(node.op, a, b);
      }
      case 'call':
        if (own(ARITY, node.name) !== null && node.args.length === ARITY[node.name]) {
          return CALLS[node.name].apply(null, node.args.map(ev));
        }
        break;
      default:
        break;
    }
    throw new Error('cannot evaluate expression node ' + JSON.stringify(node));
  }

  /* ---------------------------------------------------------------- the page */

  var CONTROLS = 'input, select, textarea, button';
  var MINE = 'lagesbildDisabled';

  function fieldValue(control, kind) {
    var value = control.value;
    if (value === '') return null;
    if (control.type === 'number' || kind === 'number') {
      var text = value.trim().replace(',', '.');
      return NUMERIC.test(text) ? Number(text) : value;
    }
    return value;
  }

  /* The current answer to one question, read from its inputs. */
  function readQuestion(wrapper, name) {
    var kind = wrapper.dataset.kind || '';
    var chosen = [];
    var isList = false;
    var cells = {};
    var isMatrix = false;
    var radios = [];
    var value = null;
    wrapper.querySelectorAll('input, select, textarea').forEach(function (control) {
      if (control.name === name) {
        if (control.type === 'checkbox') {
          isList = true;
          if (control.checked) chosen.push(control.value);
        } else if (control.type === 'radio') {
          radios.push(control.value);
          if (control.checked) value = control.value;
        } else if (control.tagName === 'SELECT' && control.multiple) {
          isList = true;
          Array.from(control.selectedOptions).forEach(function (o) { chosen.push(o.value); });
        } else if (control.type !== 'button' && control.type !== 'submit') {
          value = fieldValue(control, kind);
        }
      } else if (control.name && control.name.indexOf(name + '-') === 0) {
        isMatrix = true;
        var row = control.name.slice(name.length + 1);
        if ((control.type === 'radio' || control.type === 'checkbox') && !control.checked) return;
        if (control.value !== '') cells[row] = control.value;
      }
    });
    if (isList) return chosen;
    if (isMatrix) return cells;
    var yesNo = radios.length > 0 && radios.every(function (v) { return v === 'y' || v === 'n'; });
    if (kind === 'boolean' || (!kind && yesNo)) {
      return value === 'y' ? true : value === 'n' ? false : null;
    }
    return value;
  }

  function pageAnswers() {
    var answers = Object.create(null);
    var element = document.getElementById('lagesbild-answers');
    if (element) {
      try {
        var stored = JSON.parse(element.textContent);
        if (isPlainObject(stored)) Object.assign(answers, stored);
      } catch (error) {
        /* No stored answers: rules then see only this page. */
      }
    }
    return answers;
  }

  function setShown(wrapper, shown) {
    if (wrapper.hidden === !shown) return false;
    wrapper.hidden = !shown;
    wrapper.querySelectorAll(CONTROLS).forEach(function (control) {
      if (!shown && !control.disabled) {
        control.disabled = true;
        control.dataset[MINE] = '1';
      } else if (shown && control.dataset[MINE]) {
        control.disabled = false;
        delete control.dataset[MINE];
      }
    });
    return true;
  }

  function start() {
    var stored = pageAnswers();
    var wrappers = Array.from(document.querySelectorAll('[data-question]'));
    var rules = [];
    wrappers.forEach(function (wrapper) {
      if (!wrapper.hasAttribute('data-relevant')) return;
      try {
        rules.push({ wrapper: wrapper, tree: JSON.parse(wrapper.getAttribute('data-relevant')) });
      } catch (error) {
        return; /* unreadable rule: leave the question shown; the server decides */
      }
      if (wrapper.hidden) {
        /* Hidden by the server: its disabled inputs are ours to enable when it applies. */
        wrapper.querySelectorAll(CONTROLS).forEach(function (control) {
          if (control.disabled) control.dataset[MINE] = '1';
        });
      }
    });
    if (rules.length === 0) return;

    function currentAnswers() {
      var answers = Object.assign(Object.create(null), stored);
      wrappers.forEach(function (wrapper) {
        var name = wrapper.dataset.question;
        answers[name] = wrapper.hidden ? null : readQuestion(wrapper, name);
      });
      return answers;
    }

    function update() {
      /* Showing or hiding one question can change another's rule: repeat until stable. */
      for (var pass = 0; pass <= rules.length; pass += 1) {
        var answers = currentAnswers();
        var changed = false;
        rules.forEach(function (rule) {
          var shown = true;
          try {
            shown = truthy(evaluate(rule.tree, answers, null));
          } catch (error) {
            shown = true;
          }
          changed = setShown(rule.wrapper, shown) || changed;
        });
        if (!changed) return;
      }
    }

    document.addEventListener('input', update);
    document.addEventListener('change', update);
    update();
  }

  var api = { evaluate: evaluate, truthy: truthy };
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  if (typeof window !== 'undefined') window.lagesbildRelevance = api;
  if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', start);
    } else {
      start();
    }
  }
})();
