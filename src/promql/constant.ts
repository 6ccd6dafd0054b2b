/**
 * Arithmetic of numbers written where PromQL takes a number parameter (`predict_linear(x[6h], 4 * 3600)`): kept
 * as written, since a function's argument needs no parentheses around it.
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

import { promqlNumberValue } from './numbers';
import { locateVariables } from './variables';

const ARITHMETIC = new Set(['Add', 'Sub', 'Mul', 'Div', 'Mod', 'Pow']);

/**
 * True when the tree is numbers, variables, signs and parentheses joined by + - * / % ^ only, each number one
 * Prometheus reads (`1e400` is none). `masked` is the text with its variables masked, as locateVariables does.
 */
export function isConstantNode(node: SyntaxNode, masked: string): boolean {
  const kids: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name !== 'LineComment') {
      kids.push(child);
    }
  }
  switch (node.name) {
    case 'NumberDurationLiteral': {
      const text = masked.slice(node.from, node.to).replace(/^([-+])\s*/, '$1');
      // A masked variable reads as a duration (`000s`); a duration written by hand is no number.
      return promqlNumberValue(text) !== undefined || /^[-+]?0+s$/.test(text);
    }
    case 'ParenExpr':
      return kids.length === 1 && isConstantNode(kids[0], masked);
    case 'UnaryExpr':
      return kids.length === 2 && isConstantNode(kids[1], masked);
    case 'BinaryExpr':
      return (
        kids.length === 3 && ARITHMETIC.has(kids[1].name) && kids.every((k, i) => i === 1 || isConstantNode(k, masked))
      );
    default:
      return false;
  }
}

/** True when the text is such arithmetic, joining at least two numbers (`4 * 3600`, `$hours * 3600`). */
export function isConstantExpression(text: string): boolean {
  const { masked } = locateVariables(text);
  const tree = parser.parse(masked);
  let error = false;
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) {
        error = true;
      }
      return !error;
    },
  });
  const top = tree.topNode.firstChild;
  if (
    error ||
    !top ||
    top.nextSibling ||
    !['BinaryExpr', 'ParenExpr', 'UnaryExpr'].includes(top.name) ||
    /#/.test(masked)
  ) {
    return false;
  }
  return isConstantNode(top, masked);
}
