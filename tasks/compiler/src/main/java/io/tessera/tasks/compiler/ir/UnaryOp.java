package io.tessera.tasks.compiler.ir;

/** Unary operators; the operand already has the result type (Java's unary promotion is explicit). */
public enum UnaryOp {
    NEG("-"), BIT_NOT("~"), NOT("!");

    private final String symbol;

    UnaryOp(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
