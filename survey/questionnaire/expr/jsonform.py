"""The tree as JSON, for static/relevant.js, which evaluates it in the browser."""

from __future__ import annotations

from survey.questionnaire.expr.tree import (
    BinOp,
    Call,
    Cell,
    ListExpr,
    Literal,
    Neg,
    Node,
    Not,
    Ref,
    SelfRef,
)


def to_json(node: Node) -> dict:
    """A JSON-serialisable form of the tree for static/relevant.js (same semantics)."""
    match node:
        case Literal(value=value):
            return {"type": "literal", "value": value}
        case ListExpr(items=items):
            return {"type": "list", "items": [to_json(item) for item in items]}
        case Ref(name=name):
            return {"type": "ref", "name": name}
        case Cell(name=name, row=row):
            return {"type": "cell", "name": name, "row": row}
        case SelfRef():
            return {"type": "self"}
        case Not(operand=operand):
            return {"type": "not", "operand": to_json(operand)}
        case Neg(operand=operand):
            return {"type": "neg", "operand": to_json(operand)}
        case BinOp(op=op, left=left, right=right):
            return {"type": "op", "op": op, "left": to_json(left), "right": to_json(right)}
        case Call(name=name, args=args):
            return {"type": "call", "name": name, "args": [to_json(arg) for arg in args]}
    raise TypeError(f"not an expression node: {node!r}")

