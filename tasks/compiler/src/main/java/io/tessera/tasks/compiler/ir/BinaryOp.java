package io.tessera.tasks.compiler.ir;

/**
 * Binary operators with Java semantics. Operands of arithmetic, bitwise and comparison operators
 * have one type (binary numeric promotion is explicit in the IR); shift counts are always
 * {@code int} and the shifted operand gives the result type. {@link #USHR} is Java's {@code >>>}.
 */
public enum BinaryOp {
    ADD("+"), SUB("-"), MUL("*"), DIV("/"), REM("%"),
    AND("&"), OR("|"), XOR("^"), SHL("<<"), SHR(">>"), USHR(">>>"),
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="),
    LOGICAL_AND("&&"), LOGICAL_OR("||");

    private final String symbol;

    BinaryOp(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public boolean isComparison() {
        return this == EQ || this == NE || this == LT || this == LE || this == GT || this == GE;
    }

    public boolean isShift() {
        return this == SHL || this == SHR || this == USHR;
    }

    public boolean isLogical() {
        return this == LOGICAL_AND || this == LOGICAL_OR;
    }
}
