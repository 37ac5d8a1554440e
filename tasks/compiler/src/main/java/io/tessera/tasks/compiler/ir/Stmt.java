package io.tessera.tasks.compiler.ir;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/** Statements of the kernel IR: structured control flow only. Each carries its Java source line. */
public sealed interface Stmt extends Serializable {

    int line();

    /** Declares a local, with an initial value or none ({@code init} null). */
    record Declare(Local local, Expr init, int line) implements Stmt {
        public Declare {
            Objects.requireNonNull(local, "local");
            if (init != null && init.type() != local.type()) {
                throw new IllegalArgumentException("local " + local.name() + " of " + local.type()
                        + " initialised with " + init.type());
            }
        }
    }

    /**
     * Declares a Java array. A private array is zero-filled here each time the declaration runs,
     * as {@code new float[n]} is in Java; local memory is placed at kernel scope by the back ends.
     */
    record DeclareArray(ArrayVar array, int line) implements Stmt {
        public DeclareArray {
            Objects.requireNonNull(array, "array");
        }
    }

    record Assign(Local local, Expr value, int line) implements Stmt {
        public Assign {
            Objects.requireNonNull(local, "local");
            if (value.type() != local.type()) {
                throw new IllegalArgumentException("local " + local.name() + " of " + local.type()
                        + " assigned " + value.type());
            }
        }
    }

    /** Writes element {@code index} of an array ({@code FloatArray.set}, {@code a[i] = v}). */
    record Store(ArrayTarget array, Expr index, Expr value, int line) implements Stmt {
        public Store {
            Objects.requireNonNull(array, "array");
            Objects.requireNonNull(index, "index");
            if (value.type() != array.valueType()) {
                throw new IllegalArgumentException("store of " + value.type() + " into " + array.name());
            }
        }
    }

    /** An expression evaluated for its effect: a helper call. */
    record Eval(Expr expr, int line) implements Stmt {
        public Eval {
            Objects.requireNonNull(expr, "expr");
        }
    }

    record If(Expr cond, Stmt then, Stmt otherwise, int line) implements Stmt {
        public If {
            Objects.requireNonNull(cond, "cond");
            Objects.requireNonNull(then, "then");
        }
    }

    /** A sequential {@code for}; {@code cond} may be null (loop forever). */
    record For(List<Stmt> init, Expr cond, List<Stmt> update, Stmt body, int line) implements Stmt {
        public For {
            init = List.copyOf(init);
            update = List.copyOf(update);
            Objects.requireNonNull(body, "body");
        }
    }

    record While(Expr cond, Stmt body, int line) implements Stmt {
        public While {
            Objects.requireNonNull(cond, "cond");
            Objects.requireNonNull(body, "body");
        }
    }

    record DoWhile(Stmt body, Expr cond, int line) implements Stmt {
        public DoWhile {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(cond, "cond");
        }
    }

    record Break(int line) implements Stmt {
    }

    record Continue(int line) implements Stmt {
    }

    /** Returns from the function; {@code value} is null in a void function. */
    record Return(Expr value, int line) implements Stmt {
    }

    /** A work-group barrier. */
    record Barrier(Fence fence, int line) implements Stmt {
        public enum Fence { LOCAL, GLOBAL }

        public Barrier {
            Objects.requireNonNull(fence, "fence");
        }
    }

    record Block(List<Stmt> body, int line) implements Stmt {
        public Block {
            body = List.copyOf(body);
        }
    }

    /**
     * {@code for (@Parallel T var = start; var < bound; var++) body}: independent iterations of
     * dimension {@code dimension} (0 outermost). {@code start} and {@code bound} depend only on
     * scalar parameters, constants and array lengths. An {@code int} variable may have a
     * {@code long} bound ({@code i < a.length()}); the comparison is then done in {@code long}.
     */
    record ParallelFor(int dimension, Local var, Expr start, Expr bound, Stmt body, int line) implements Stmt {
        public ParallelFor {
            if (dimension < 0 || dimension > 2) {
                throw new IllegalArgumentException("parallel dimension " + dimension);
            }
            Objects.requireNonNull(var, "var");
            boolean boundFits = bound.type() == var.type()
                    || (var.type() == ScalarType.I32 && bound.type() == ScalarType.I64);
            if (start.type() != var.type() || !boundFits) {
                throw new IllegalArgumentException("parallel loop " + var.name() + " of " + var.type()
                        + " has bounds of " + start.type() + " and " + bound.type());
            }
            Objects.requireNonNull(body, "body");
        }
    }
}
