package io.tessera.tasks.compiler.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every construct outside the kernel subset is a javac error at its line, naming the kernel and
 * the reason. The offending line of each case is marked {@code //!}.
 */
class RejectedConstructsTest {
    private static final String PARAMS = "FloatArray a, IntArray b, int n, float s";
    private static final String CONTEXT_PARAMS = "FloatArray a, int n, KernelContext ctx";

    record Case(String name, String params, String body, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("object allocation", PARAMS,
                        "java.util.Random r = new java.util.Random(); //!", "object allocation is not allowed in a kernel"),
                new Case("allocation as a receiver", PARAMS,
                        "a.set(0, new java.util.Random().nextFloat()); //!", "object allocation is not allowed in a kernel"),
                new Case("string", PARAMS, "String t = \"x\"; //!", "strings are not allowed in a kernel"),
                new Case("try", PARAMS, "try { a.set(0, 1f); } catch (RuntimeException e) { } //!",
                        "exceptions (try, catch, throw) are not allowed in a kernel"),
                new Case("throw", PARAMS, "if (n < 0) throw new IllegalArgumentException(); //!",
                        "exceptions (try, catch, throw) are not allowed in a kernel"),
                new Case("foreign static call", PARAMS, "int h = Integer.hashCode(n); //!",
                        "call of java.lang.Integer.hashCode is not allowed in a kernel"),
                new Case("math outside the subset", PARAMS, "float t = (float) Math.atan2(s, s); //!",
                        "call of java.lang.Math.atan2 is not allowed in a kernel"),
                new Case("typed-array method outside the subset", PARAMS, "long z = a.segment().byteSize(); //!",
                        "a.segment() is not allowed in a kernel"),
                new Case("lambda", PARAMS, "Runnable r = () -> { }; //!", "lambdas are not allowed in a kernel"),
                new Case("mutable field", PARAMS, "int c = counter; //!",
                        "field counter is not allowed in a kernel: only static final primitive constants are"),
                new Case("constant array field", PARAMS, "float t = TABLE[0]; //!",
                        "only arrays declared in the kernel (local memory or new T[constant]) can be indexed"),
                new Case("field assignment", PARAMS, "counter = 1; //!", "fields cannot be assigned in a kernel"),
                new Case("labeled break", PARAMS, "outer: for (int i = 0; i < n; i++) { break outer; } //!",
                        "labeled statements are not supported in a kernel"),
                new Case("switch", PARAMS, "switch (n) { case 1: break; default: break; } //!",
                        "switch is not supported in a kernel; use if/else"),
                new Case("increment inside an expression", PARAMS, "int j = 0; int k = j++; //!",
                        "++ and -- are only allowed as statements in a kernel"),
                new Case("assignment inside an expression", PARAMS, "int j; int k = j = 2; //!",
                        "assignments are only allowed as statements in a kernel"),
                new Case("parameter assignment", PARAMS, "n = 3; //!",
                        "parameter n cannot be assigned in a kernel; copy it into a local variable"),
                new Case("char", PARAMS, "char c = 'x'; //!", "char is not supported in a kernel"),
                new Case("for-each", PARAMS, "for (float f : new float[4]) { } //!", "for-each loops are not allowed in a kernel"),
                new Case("assert", PARAMS, "assert n > 0; //!", "assert is not allowed in a kernel"),
                new Case("typed array in a local", PARAMS, "FloatArray c = a; //!",
                        "typed arrays cannot be held in local variables; use the parameter itself"),
                new Case("private array of variable size", PARAMS, "float[] t = new float[n]; //!",
                        "the length of a private array must be a constant (literals and static final fields)"),
                new Case("array initialiser", PARAMS, "float[] t = {1f, 2f}; //!",
                        "array variables are declared as T[] t = new T[constant]"),
                new Case("call of another kernel", PARAMS, "other(a); //!",
                        "kernel other cannot be called from a kernel; move the shared code into a helper method"),
                new Case("recursion", PARAMS, "float r = recurse(s); //!", "recursion is not allowed in a kernel (recurse -> recurse)"),
                new Case("parallel bound from a local", PARAMS,
                        "int m = n; for (@Parallel int i = 0; i < m; i++) { a.set(i, 1f); } //!",
                        "the bounds of a parallel loop may use only scalar parameters, constants and length() of array parameters"),
                new Case("parallel loop nested in an if", PARAMS,
                        "if (n > 0) { for (@Parallel int i = 0; i < n; i++) { a.set(i, 1f); } } //!",
                        "the outermost parallel loop must be a statement of the kernel body"),
                new Case("parallel loop in a sequential loop", PARAMS,
                        "for (@Parallel int i = 0; i < n; i++) { for (int k = 0; k < 2; k++) { for (@Parallel int j = 0; j < n; j++) { b.set(j, k); } } } //!",
                        "an inner parallel loop must be a statement of the body of the enclosing parallel loop"),
                new Case("break out of a parallel loop", PARAMS,
                        "for (@Parallel int i = 0; i < n; i++) { if (i > 3) break; a.set(i, 1f); } //!",
                        "break out of a parallel loop is not allowed"),
                new Case("return in a parallel loop", PARAMS,
                        "for (@Parallel int i = 0; i < n; i++) { if (i > 3) return; a.set(i, 1f); } //!",
                        "return inside a parallel loop is not allowed; use continue"),
                new Case("parallel step", PARAMS, "for (@Parallel int i = 0; i < n; i += 2) { a.set(i, 1f); } //!",
                        "a parallel loop steps by one: i++"),
                new Case("parallel condition", PARAMS, "for (@Parallel int i = 0; i <= n; i++) { a.set(i, 1f); } //!",
                        "the condition of a parallel loop is i < bound"),
                new Case("store outside the innermost parallel loop", PARAMS,
                        "for (@Parallel int i = 0; i < n; i++) { a.set(i, 0f); for (@Parallel int j = 0; j < n; j++) { b.set(j, i); } } //!",
                        "stores to typed arrays must be inside the innermost parallel loop"),
                new Case("two parallel nests", PARAMS,
                        "for (@Parallel int i = 0; i < n; i++) { a.set(i, 0f); }\n"
                                + "for (@Parallel int i = 0; i < n; i++) { a.set(i, 1f); } //!",
                        "a kernel has one nest of parallel loops; split the work into several kernels"),
                new Case("four parallel dimensions", PARAMS,
                        "for (@Parallel int i = 0; i < n; i++) for (@Parallel int j = 0; j < n; j++)\n"
                                + "for (@Parallel int k = 0; k < n; k++) for (@Parallel int l = 0; l < n; l++) { a.set(l, 1f); } //!",
                        "at most three parallel loops may be nested"),
                new Case("parallel loop variable assigned", PARAMS,
                        "for (@Parallel int i = 0; i < n; i++) { i = 2; //!\n a.set(i, 1f); }",
                        "the variable i of a parallel loop must not be assigned"),
                new Case("parallel loop with a context", CONTEXT_PARAMS,
                        "for (@Parallel int i = 0; i < n; i++) { a.set(i, 1f); } //!",
                        "a kernel uses either @Parallel loops or a KernelContext, not both"),
                new Case("local array below the top level", CONTEXT_PARAMS,
                        "if (n > 0) { float[] t = ctx.allocateFloatLocalArray(64); } //!",
                        "local arrays are allocated at the top level of the kernel body"),
                new Case("context query of a variable dimension", CONTEXT_PARAMS, "int g = ctx.globalId(n); //!",
                        "the dimension of a KernelContext query must be a constant"),
                new Case("context passed around", CONTEXT_PARAMS, "takesContext(ctx); //!",
                        "the KernelContext cannot be passed to helpers; keep its calls in the kernel body"),
                new Case("two contexts", CONTEXT_PARAMS + ", KernelContext second", "a.set(0, 1f); //!",
                        "a kernel takes at most one KernelContext"),
                new Case("byte parameter", "FloatArray a, byte q", "a.set(0, q); //!",
                        "parameter q of type byte is not allowed; kernels take int, long, float, double and boolean scalars"),
                new Case("object parameter", "FloatArray a, String q", "a.set(0, 1f); //!",
                        "parameter q of type java.lang.String is not allowed"),
                new Case("parallel loop in a helper", PARAMS, "loopHelper(a); //!", "parallel loops belong in the kernel, not in helpers"));
    }

    private static final String TEMPLATE = """
            package t;
            import io.tessera.tasks.api.*;
            public class K {
                static int counter;
                static final float[] TABLE = {1f};
                static float recurse(float x) { return x > 0 ? recurse(x - 1) : x; } //!recurse
                static void loopHelper(FloatArray a) { for (@Parallel int i = 0; i < 4; i++) { a.set(i, 0f); } } //!loopHelper
                static void takesContext(KernelContext c) { } //!takesContext
                @Kernel static void other(FloatArray a) { }
                @Kernel
                public static void k(PARAMS) { //!signature
            BODY
                }
            }
            """;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isACompileErrorAtItsLine(Case c) {
        String source = TEMPLATE.replace("PARAMS", c.params()).replace("BODY", c.body());
        PluginCompiler.Result result = PluginCompiler.compile("t.K", source);

        String where = c.name().equals("recursion") ? "//!recurse" : c.name().equals("parallel loop in a helper")
                ? "//!loopHelper" : c.params().equals(PARAMS) || c.params().equals(CONTEXT_PARAMS) ? "//!" : "//!signature";
        long line = lineOf(source, where);
        String function = where.equals("//!") || where.equals("//!signature") ? "kernel K.k: " : "helper K."
                + where.substring(3) + ": ";
        assertThat(result.success()).isFalse();
        assertThat(result.errors()).as(source).hasSize(1);
        assertThat(result.errors().getFirst().message()).startsWith(function + c.message());
        assertThat(result.errors().getFirst().line()).as(result.errors().getFirst().message()).isEqualTo(line);
    }

    private static long lineOf(String source, String marker) {
        String[] lines = source.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].stripTrailing().endsWith(marker)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no " + marker);
    }
}
